import Foundation
import Storage
import SyncCore
import Testing

/// Ids as a person meets them: what `add` prints is typed back, weeks and syncs later.
@Suite("fieldnote shown ids")
struct ShortIDCommandTests {
    @Test func thePrintedIDKeepsNamingItsNoteAfterACollidingSync() throws {
        let sandbox = try Sandbox()
        let added = try sandbox.run("add", "Home visit, nobody in")
        #expect(added.status == 0)
        let printed = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(try sandbox.note(printed)["id"] as? String)
        // 8 digits of the random part, not of the time the note was written.
        #expect(printed == String(id.dropFirst(12).prefix(8)))

        // A note synced in that shares the printed digits and the next two.
        let earlier = try #require(EntityID(hex: id))
        let twin = Self.twin(of: earlier, sharing: 10)
        do {
            let store = try Store(directory: sandbox.store)
            try store.addNotes((0..<30).map { NoteDraft(text: "later note \($0)") })
            let replica = ReplicaID.random()
            let stamp = Timestamp(millis: earlier.millis, counter: 0)
            _ = try store.apply([
                Op(id: OpID(space: .team, replica: replica, seq: 1), timestamp: stamp, payload: .create(entity: twin, kind: .note)),
                Op(id: OpID(space: .team, replica: replica, seq: 2), timestamp: stamp,
                   payload: .insertText(entity: twin, origin: nil, rightOrigin: nil, text: "Synced from a colleague")),
            ])
        }

        #expect(try sandbox.note(printed)["id"] as? String == id)
        let twinShown = String(twin.randomHex.prefix(11))
        #expect(try sandbox.note(twinShown)["id"] as? String == twin.hex)
        let listed = try sandbox.run("list", "--limit", "100")
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix(twinShown + " ") && $0.hasSuffix("Synced from a colleague") }, "\(listed.stdout)")
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix(printed + " ") && $0.hasSuffix("Home visit, nobody in") }, "\(listed.stdout)")

        // The full id, in either case, and a prefix shorter than both shown ids.
        #expect(try sandbox.note(id.uppercased())["id"] as? String == id)
        let ambiguous = try sandbox.run("show", String(printed.prefix(5)))
        #expect(ambiguous.status == 3)
        #expect(ambiguous.stderrLines.count == 1)
        #expect(ambiguous.stderr.contains("ambiguous") && ambiguous.stderr.contains(printed) && ambiguous.stderr.contains(twinShown), "\(ambiguous.stderr)")
    }

    /// Ids printed before they were taken from the random part (its time digits) name nothing now.
    @Test func anOldTimePrefixIsNotFoundAndSaysWhereIDsAre() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("Supervision cancelled again")
        let result = try sandbox.run("show", String(id.prefix(8)))
        #expect(result.status == 3)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("no note with id \(id.prefix(8))") && result.stderr.contains("fieldnote list"), "\(result.stderr)")
        let tooLong = try sandbox.run("show", String(id.prefix(24)))
        #expect(tooLong.status == 4 && tooLong.stderr.contains("full 32-digit id"), "\(tooLong.stderr)")
    }

    /// An id whose random part starts with the first `sharing` digits of `id`'s and then differs.
    static func twin(of id: EntityID, sharing: Int) -> EntityID {
        var random = Array(id.randomHex)
        random[sharing] = random[sharing] == "0" ? "1" : "0"
        return EntityID(hex: id.hex.prefix(12) + String(random))!
    }
}
