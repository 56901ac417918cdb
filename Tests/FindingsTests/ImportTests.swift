import Foundation
import Testing
@testable import Findings

@Suite("Findings import")
struct ImportTests {
    static let header = "id,title,publisher,authority,published,category,quote,source\n"

    @Test func csvWithQuotesCommasAndNewlinesInFields() throws {
        let csv = Self.header + """
        branch-2025-caseloads,"Caseloads, again",UNISON branch,Example Council,2025-03-01,caseload_workload,"She said ""too many"",
        and left.",https://example.org/a
        branch-2025-supervision,Supervision,UNISON branch,Example Council,2025-04,supervision,Supervision was cancelled.,"Branch survey, April 2025"

        """
        let findings = try FindingsImport.parse(data: Data(csv.utf8), format: .csv)
        #expect(findings.map(\.id) == ["branch-2025-caseloads", "branch-2025-supervision"])
        #expect(findings[0].title == "Caseloads, again")
        #expect(findings[0].quote == "She said \"too many\",\nand left.")
        #expect(findings[1].source == "Branch survey, April 2025")
        #expect(findings[1].category == .supervision)
    }

    @Test func csvReportsEveryBadRowWithItsLineAndImportsNothing() {
        // Line 2 is fine; line 3 has a bad category; the row starting on line 4 spans two lines
        // (quoted newline) and has a bad date; line 6 repeats line 2's id; line 7 has too few fields.
        let csv = Self.header + """
        branch-2025-a,A,Pub,Auth,2025-01,workforce,Quote a,https://example.org/a
        branch-2025-b,B,Pub,Auth,2025-01,caseloads,Quote b,https://example.org/b
        branch-2025-c,C,Pub,Auth,2025-02-30,workforce,"Quote
        c",https://example.org/c
        branch-2025-a,A again,Pub,Auth,2025-01,workforce,Quote a,https://example.org/a
        branch-2025-e,E,Pub
        """
        let error = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(csv.utf8), format: .csv) }
        let lines = error?.issues.map(\.line)
        #expect(lines == [3, 4, 6, 7])
        #expect(error?.issues[0].message.contains("unknown category \"caseloads\"") == true)
        #expect(error?.issues[0].message.contains("caseload_workload") == true)
        #expect(error?.issues[1].message.contains("published") == true)
        #expect(error?.issues[2].message.contains("line 2") == true)
        #expect(error?.issues[3].message.contains("3 fields") == true)
    }

    @Test func csvRefusesMissingColumnsUnterminatedQuotesAndBuiltInIds() {
        let noSource = "id,title,publisher,authority,published,category,quote\nx-1,a,b,c,2020,workforce,q\n"
        let missing = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(noSource.utf8), format: .csv) }
        #expect(missing?.issues.first?.line == 1)
        #expect(missing?.issues.first?.message.contains("source") == true)

        let open = Self.header + "abc-1,T,P,A,2020,workforce,\"never closed,https://x.org\n"
        let unterminated = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(open.utf8), format: .csv) }
        #expect(unterminated?.issues.first?.line == 2)

        let builtIn = Self.header + "ofsted-worcestershire-2017-caseloads,T,P,A,2020,workforce,Q,https://x.org\n"
        let taken = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(builtIn.utf8), format: .csv) }
        #expect(taken?.issues.first?.message.contains("already in the catalog") == true)

        #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(Self.header.utf8), format: .csv) }
    }

    @Test func jsonImportReportsLinesOfBadEntries() throws {
        let good = """
        [
          {"id": "branch-2025-a", "title": "A", "publisher": "P", "authority": "A", "published": "2025",
           "category": "allocation", "quote": "Cases wait.", "source": "https://example.org/a", "summary": "s"}
        ]
        """
        let findings = try FindingsImport.parse(data: Data(good.utf8), format: .json)
        #expect(findings.count == 1 && findings[0].summary == "s" && findings[0].category == .allocation)

        let bad = """
        [
          {"id": "branch-2025-a", "title": "A", "publisher": "P", "authority": "A", "published": "2025",
           "category": "allocation", "quote": "Cases wait.", "source": "https://example.org/a"},
          {"id": "branch-2025-b", "title": "B", "publisher": "P", "authority": "A", "published": "2025",
           "category": "nope", "quote": "Q", "source": "https://example.org/b"},
          {"id": "branch-2025-c", "title": 3, "colour": "red"},
          "not an object"
        ]
        """
        let error = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(bad.utf8), format: .json) }
        #expect(error?.issues.map(\.line) == [4, 6, 7])
        #expect(error?.issues[1].message.contains("unknown key \"colour\"") == true)
        #expect(error?.issues[1].message.contains("title must be a string") == true)
    }

    @Test func malformedJSONIsRefused() {
        let broken = "[\n  {\"id\": \"a-1\",\n  \"title\": \"x\"\n"
        let error = #expect(throws: FindingsImportError.self) { try FindingsImport.parse(data: Data(broken.utf8), format: .json) }
        #expect(error?.issues.count == 1)
        #expect(error?.description.contains("nothing imported") == true)
    }

    @Test func formatFromNameAndContent() {
        #expect(FindingsImport.Format(fileName: "x.JSON") == .json)
        #expect(FindingsImport.Format(fileName: "x.csv") == .csv)
        #expect(FindingsImport.Format(fileName: "x.txt") == nil)
        #expect(FindingsImport.Format(sniffing: Data("  [".utf8)) == .json)
        #expect(FindingsImport.Format(sniffing: Data("id,title".utf8)) == .csv)
    }

    @Test func csvWriterAndParserRoundTrip() throws {
        let rows = [["a", "b,c", "d\"e"], ["line\nbreak", "", " padded "], ["crlf\r\nx", "ü", "end"]]
        let text = CSV.write(rows)
        let parsed = try CSV.parse(text)
        #expect(parsed.map(\.fields) == rows)
        #expect(parsed.map(\.line) == [1, 2, 4])
    }
}
