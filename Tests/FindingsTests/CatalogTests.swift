import Foundation
import Testing
@testable import Findings

@Suite("Findings catalog")
struct CatalogTests {
    @Test func builtInCatalogDecodesWithAtLeastFifteenFindings() {
        #expect(FindingsCatalog.builtIn.count >= 15)
    }

    @Test func everyEntryIsCompleteAndValid() {
        for finding in FindingsCatalog.builtIn {
            #expect(finding.problems().isEmpty, "\(finding.id): \(finding.problems())")
            #expect(!finding.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(finding.id) has no source")
            #expect(!finding.quote.trimmingCharacters(in: .whitespaces).isEmpty, "\(finding.id) has no quote")
            #expect(PublicationDate(finding.published) != nil, "\(finding.id) date \(finding.published)")
            #expect(FindingCategory.allCases.contains(finding.category))
            #expect(!finding.title.isEmpty && !finding.publisher.isEmpty && !finding.authority.isEmpty)
        }
    }

    @Test func idsAreUniqueAndWellFormed() {
        let ids = FindingsCatalog.builtIn.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(Finding.isValidID))
    }

    @Test func catalogCoversTheSeedArticlesAndNationalReviews() {
        let ids = FindingsCatalog.builtIn.map(\.id)
        for prefix in ["birmingham-scrutiny-2009", "lga-birmingham-2014", "ofsted-worcestershire-2017", "haringey-2009",
                       "community-care-2009", "laming-2009", "swtf-2009", "munro-2011", "macalister-2022",
                       "ofsted-birmingham-2014", "ofsted-doncaster-2012"] {
            #expect(ids.contains { $0.hasPrefix(prefix) }, "no finding for \(prefix)")
        }
    }

    @Test func listFiltersByCategoryNewestFirst() throws {
        let catalog = try FindingsCatalog()
        let caseload = catalog.list(category: .caseloadWorkload)
        #expect(!caseload.isEmpty)
        #expect(caseload.allSatisfy { $0.category == .caseloadWorkload })
        let all = catalog.list()
        #expect(all.count == FindingsCatalog.builtIn.count)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.published >= $1.published })
    }

    @Test func showFindsByIdAndExplainsUnknownIds() throws {
        let catalog = try FindingsCatalog()
        #expect(try catalog.show("ofsted-worcestershire-2017-caseloads").category == .caseloadWorkload)
        #expect(try catalog.show("OFSTED-WORCESTERSHIRE-2017-CASELOADS").id == "ofsted-worcestershire-2017-caseloads")
        let error = #expect(throws: FindingsError.self) { try catalog.show("ofsted-worcestershire-caseloads") }
        #expect(error?.code == .unknownFinding)
        #expect(error?.message.contains("ofsted-worcestershire-2017-caseloads") == true)
    }

    @Test func userFindingsAreValidatedAndCannotTakeAnExistingId() throws {
        let catalog = try FindingsCatalog()
        let good = Finding(id: "unison-branch-2025-survey", title: "Branch survey: caseloads", publisher: "UNISON branch",
                           authority: "Example Council", published: "2025-03", category: .caseloadWorkload,
                           quote: "Most respondents said their caseload was unmanageable.", source: "https://example.org/survey")
        let bigger = try catalog.adding(good)
        #expect(bigger.finding(good.id) == good)
        #expect(bigger.origin(of: good.id) == .user)
        #expect(bigger.origin(of: "munro-2011-over-bureaucratised-compliance") == .builtIn)
        #expect(catalog.finding(good.id) == nil, "adding returns a new catalog")

        var clash = good
        clash.id = "ofsted-worcestershire-2017-caseloads"
        #expect(throws: FindingsError.self) { try catalog.adding(clash) }
        #expect((try? bigger.adding(good)) == nil, "the same id twice")

        var bad = good
        bad.id = "Bad Id"
        bad.quote = " "
        bad.published = "2025-13-01"
        bad.source = "x"
        let error = #expect(throws: FindingsError.self) { try catalog.adding([good, bad]) }
        #expect(error?.code == .invalidFinding)
        for fragment in ["id", "quote", "published", "source"] { #expect(error?.message.contains(fragment) == true) }

        var future = good
        future.published = "2999-01-01"
        #expect(!future.problems().isEmpty)
    }

    @Test func findingsRoundTripThroughJSON() throws {
        let data = Finding.encodeJSON(FindingsCatalog.builtIn)
        let decoded = try JSONDecoder().decode([Finding].self, from: data)
        #expect(decoded == FindingsCatalog.builtIn)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"quoted_in\"") && text.contains("\"verified_in\""))
    }
}
