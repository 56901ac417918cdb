import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

@Suite("Suggestions")
struct SuggestionTests {
    @Test func caseloadNoteRanksACaseloadFindingFirst() throws {
        let temporary = try TemporaryStore()
        let id = try temporary.store.addNote(text: "my caseload is 34 and it is far too large", fields: ["caseload": .int(34)])
        let note = try temporary.store.note(id)
        let index = SuggestionIndex(catalog: try FindingsCatalog())
        let suggestions = index.suggest(for: note, limit: 5)
        let first = try #require(suggestions.first)
        #expect(first.finding.category == .caseloadWorkload)
        #expect(first.matchedTerms.contains("caseload"))
        #expect(first.matchedTerms.contains("large"))
        #expect(zip(suggestions, suggestions.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func supervisionCancelledRanksASupervisionFindingFirst() throws {
        let index = SuggestionIndex(catalog: try FindingsCatalog())
        let suggestions = index.suggest(text: "supervision was cancelled again this month", fields: ["supervision": .string("cancelled")])
        #expect(suggestions.first?.finding.category == .supervision)
        #expect(suggestions.first?.matchedTerms.first == "supervision")
    }

    @Test func blameAndThresholdsFindTheirCategories() throws {
        let index = SuggestionIndex(catalog: try FindingsCatalog())
        #expect(index.suggest(text: "managers blame the social worker for everything").first?.finding.category == .blameCulture)
        #expect(index.suggest(text: "thresholds applied differently by every team").first?.finding.category == .thresholds)
    }

    @Test func excludedAndUnrelatedFindingsAreLeftOut() throws {
        let index = SuggestionIndex(catalog: try FindingsCatalog())
        let all = index.suggest(text: "caseload", limit: 50)
        let excluded = index.suggest(text: "caseload", excluding: [all[0].finding.id], limit: 50)
        #expect(!excluded.contains { $0.finding.id == all[0].finding.id })
        #expect(index.suggest(text: "zebra xylophone").isEmpty)
        #expect(index.suggest(text: "caseload", limit: 2).count == 2)
    }

    @Test func tokenizerStemsAndDropsStopWordsAndNumbers() {
        #expect(Tokenizer.terms("My caseloads are 34, too LARGE!") == ["caseload", "large"])
        #expect(Tokenizer.terms("social workers' supervision cancelled") == ["social", "worker", "supervision", "cancel"])
        #expect(Tokenizer.terms("children’s referrals") == ["children", "referral"])
    }
}
