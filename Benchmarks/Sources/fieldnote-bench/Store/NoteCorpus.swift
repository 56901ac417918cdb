import Foundation
import Storage
import SyncCore

/// Deterministic, realistic field notes for the store benchmark: each has 60–120 characters of
/// text put together from phrases social workers write, three known fields and two tags.
///
/// The same seed gives the same notes, so the store and the plain-SQLite baseline insert
/// exactly the same content.
struct NoteCorpus {
    static let openings = [
        "Home visit done", "Caseload 31 today", "Supervision cancelled again", "Duty week",
        "Back from court", "Strategy meeting ran over", "Referral screened", "Team meeting",
        "Late visit after school", "Core group today", "Recording backlog", "New allocation",
    ]
    static let middles = [
        "no time to write up the assessment", "third week without supervision",
        "two unallocated cases passed to me", "manager off sick, no cover arranged",
        "spent the afternoon on the case recording system", "child seen alone, voice recorded",
        "front door sent a referral back without checks", "agency worker left on Friday",
        "family asked for the same worker again", "chronology still not updated",
        "missed lunch to finish the visit notes", "threshold questioned by the police",
    ]
    static let endings = [
        "will chase tomorrow.", "raised with the team manager.", "logged the hours.",
        "flagged in supervision notes.", "need to escalate.", "stayed until seven.",
        "nothing more to add.", "follow up next week.",
    ]
    static let tags = [
        "caseload", "supervision", "recording", "overtime", "front_door", "agency",
        "sickness", "court", "duty", "visits", "thresholds", "management",
    ]
    static let supervision = ["held", "cancelled", "not_scheduled"]

    private var random: SplitMix64

    init(seed: UInt64 = 0x5EED_F1E1_D0_7E) { random = SplitMix64(seed: seed) }

    /// The next note, with text of 60–120 characters.
    mutating func next() -> NoteDraft {
        var text = pick(Self.openings) + ", " + pick(Self.middles) + ", " + pick(Self.endings)
        while text.count < 60 { text += " " + pick(Self.middles) + "." }
        if text.count > 120 {
            text = String(text.prefix(119)).trimmingCharacters(in: .whitespaces) + "."
        }
        let first = Int(random.next() % UInt64(Self.tags.count))
        let second = (first + 1 + Int(random.next() % UInt64(Self.tags.count - 1))) % Self.tags.count
        let fields: [String: FieldValue] = [
            "caseload": .int(Int64(12 + random.next() % 30)),
            "hours_worked": .double(Double(35 + random.next() % 20) + 0.5),
            "supervision": .string(pick(Self.supervision)),
        ]
        return NoteDraft(text: text, tags: [Self.tags[first], Self.tags[second]], fields: fields)
    }

    mutating func batch(_ count: Int) -> [NoteDraft] {
        (0..<count).map { _ in next() }
    }

    /// The first `count` notes of the corpus with this seed.
    static func notes(_ count: Int, seed: UInt64 = 0x5EED_F1E1_D0_7E) -> [NoteDraft] {
        var corpus = NoteCorpus(seed: seed)
        return corpus.batch(count)
    }

    private mutating func pick(_ words: [String]) -> String {
        words[Int(random.next() % UInt64(words.count))]
    }
}
