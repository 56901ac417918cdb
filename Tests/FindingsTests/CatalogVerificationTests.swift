import Foundation
import Testing
@testable import Findings

/// The seed articles beside the package: several built-in quotes were checked against them, so a
/// quote that drifts from its article is caught here rather than in front of a Director.
enum SeedArticles {
    /// `shared/seeds` in the directory that holds the package, found from this file so the tests
    /// do not depend on the directory they are run from.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FindingsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .deletingLastPathComponent()  // the directory that holds it
        .appendingPathComponent("shared/seeds")

    /// Each seed article by the start of its file name, with the address that a finding's
    /// `verified_in` names when its words were checked in that article.
    static let addresses: [(file: String, address: String)] = [
        ("000_", "careappointments.com/care-news/england/93358"),
        ("002_", "news.bbc.co.uk/1/hi/england/west_midlands/8289954.stm"),
        ("003_", "communitycare.co.uk/2017/01/24/ofsted-criticises-failure-review-section-20-arrangements-inadequate-council"),
        ("004_", "communitycare.co.uk/blogs/social-work-media/2009/04/social-work-leaders-heap-blame-back-onto-frontline-staff"),
    ]

    static var available: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).contains { $0.hasPrefix("00") }
    }

    /// The text of the seed whose file name starts with `prefix`, or nil when there is none.
    static func text(_ prefix: String) throws -> String? {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        guard let name = names.sorted().first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Text compared the way a reader compares it: runs of white space as one space, and curly
    /// quotes and long dashes as their plain forms, which copies of an article swap freely.
    static func normalised(_ text: String) -> String {
        var out = ""
        var space = false
        for character in text {
            if character.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" ") }
            space = false
            switch character {
            case "‘", "’", "‚", "‛", "′": out.append("'")
            case "“", "”", "„", "‟", "″": out.append("\"")
            case "‐", "‑", "‒", "–", "—", "−": out.append("-")
            default: out.append(character)
            }
        }
        return out
    }
}

@Suite("Findings catalog verification")
struct CatalogVerificationTests {
    @Test func everyBuiltInFindingSaysWhereItsWordsWereVerified() {
        for finding in FindingsCatalog.builtIn {
            let verifiedIn = finding.verifiedIn?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            #expect(!verifiedIn.isEmpty, "\(finding.id) does not say where its quote was verified")
        }
    }

    @Test(.enabled(if: SeedArticles.available, "skipped: the seed articles (shared/seeds beside the package) are not here"))
    func quotesVerifiedInASeedArticleAreWordForWordInIt() throws {
        var checked: [String: Int] = [:]
        for seed in SeedArticles.addresses {
            let findings = FindingsCatalog.builtIn.filter { $0.verifiedIn?.contains(seed.address) == true }
            guard !findings.isEmpty else { continue }
            let text = try #require(try SeedArticles.text(seed.file), "no seed article \(seed.file)* for \(findings.map(\.id))")
            let article = SeedArticles.normalised(text)
            for finding in findings {
                #expect(article.contains(SeedArticles.normalised(finding.quote)),
                        "\(finding.id): the quote is not word for word in seed \(seed.file)*")
                checked[seed.file, default: 0] += 1
            }
        }
        // The check must not pass by matching nothing: the BBC, Worcestershire and editorial articles verify quotes.
        #expect(checked["002_", default: 0] >= 2 && checked["003_", default: 0] >= 4 && checked["004_", default: 0] >= 1, "\(checked)")
    }

    @Test func normalisingIgnoresWhiteSpaceCurlyQuotesAndDashes() {
        #expect(SeedArticles.normalised("“Caseloads’  remain\n too large” – inspectors") == "\"Caseloads' remain too large\" - inspectors")
        #expect(!SeedArticles.normalised("systematic").contains(SeedArticles.normalised("systemic and")))
    }

    @Test func verifiedInRoundTripsAndStaysOptionalOnImport() throws {
        let without = """
            [{"id": "branch-2025-survey", "title": "Branch survey", "publisher": "UNISON branch", "authority": "Example Council",
              "published": "2025-03", "category": "caseload_workload", "quote": "Most said caseloads were unmanageable.",
              "source": "https://example.org/survey"}]
            """
        let old = try FindingsImport.parse(data: Data(without.utf8), format: .json)
        #expect(old.count == 1 && old[0].verifiedIn == nil)

        let with = without.replacingOccurrences(of: "\"source\"", with: "\"verified_in\": \"The branch's own survey report\", \"source\"")
        let new = try FindingsImport.parse(data: Data(with.utf8), format: .json)
        #expect(new.first?.verifiedIn == "The branch's own survey report")

        let csv = "id,title,publisher,authority,published,category,quote,source,verified_in\n"
            + "branch-2025-csv,Branch survey,UNISON branch,Example Council,2025,supervision,Half had no supervision.,Branch newsletter 2025,Branch newsletter page 2\n"
        #expect(try FindingsImport.parse(data: Data(csv.utf8), format: .csv).first?.verifiedIn == "Branch newsletter page 2")

        let decoded = try JSONDecoder().decode([Finding].self, from: Finding.encodeJSON(new + FindingsCatalog.builtIn))
        #expect(decoded == new + FindingsCatalog.builtIn)
        #expect(String(decoding: Finding.encodeJSON(new), as: UTF8.self).contains("\"verified_in\""))

        var blank = new[0]
        blank.verifiedIn = "  "
        #expect(blank.problems().contains { $0.contains("verified_in") })
    }
}
