import Testing
@testable import SyncCore

@Suite("Hybrid logical clock")
struct ClockTests {
    @Test func localTicksAreStrictlyIncreasingEvenWhenWallTimeStandsStill() {
        var clock = HybridLogicalClock()
        let first = clock.tick(wallMillis: 1_000)
        let second = clock.tick(wallMillis: 1_000)
        let third = clock.tick(wallMillis: 999)
        #expect(first < second && second < third)
        #expect(third.millis == 1_000 && third.counter == 2)
        #expect(clock.tick(wallMillis: 2_000) == Timestamp(millis: 2_000, counter: 0))
    }

    @Test func receivingALaterTimestampOrdersLaterLocalEventsAfterIt() throws {
        var clock = HybridLogicalClock()
        _ = clock.tick(wallMillis: 1_000)
        try clock.receive(Timestamp(millis: 5_000, counter: 7), wallMillis: 1_000)
        #expect(clock.tick(wallMillis: 1_001) == Timestamp(millis: 5_000, counter: 8))
    }

    @Test func aTimestampBeyondTheDriftBoundIsRefusedAndLeavesTheClockAlone() {
        var clock = HybridLogicalClock(maximumDrift: 60_000)
        _ = clock.tick(wallMillis: 1_000)
        let before = clock.last
        #expect(throws: SyncCoreError.self) {
            try clock.receive(Timestamp(millis: 1_000 + 60_001, counter: 0), wallMillis: 1_000)
        }
        #expect(clock.last == before)
        #expect(throws: Never.self) {
            try clock.receive(Timestamp(millis: 1_000 + 60_000, counter: 0), wallMillis: 1_000)
        }
    }

    @Test func theDefaultBoundIsOneDayAndTheErrorNamesTheSkew() {
        var clock = HybridLogicalClock()
        let year: UInt64 = 365 * 86_400_000
        do {
            try clock.receive(Timestamp(millis: year + 10_000, counter: 0), wallMillis: 10_000)
            Issue.record("a year-ahead timestamp was accepted")
        } catch {
            #expect(error.code == .clockSkew)
            #expect(error.message.contains("365 days"))
        }
    }
}
