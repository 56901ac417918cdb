import Testing
@testable import Findings

@Suite("Finding categories")
struct FindingCategoryTests {
    @Test func rawValuesAreSnakeCaseAndUnique() {
        let raw = FindingCategory.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(raw.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(FindingCategory(rawValue: "caseload_workload") == .caseloadWorkload)
    }
}
