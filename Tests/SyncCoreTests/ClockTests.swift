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

    @Test func receivingALaterTimestampOrdersLaterLocalEventsAfterIt() {
        var clock = HybridLogicalClock()
        _ = clock.tick(wallMillis: 1_000)
        clock.receive(Timestamp(millis: 5_000, counter: 7), wallMillis: 1_000)
        #expect(clock.tick(wallMillis: 1_001) == Timestamp(millis: 5_000, counter: 8))
    }

    @Test func aFarAheadTimestampAdvancesTheClockOnlyToWallTimePlusTheBound() {
        var clock = HybridLogicalClock()
        let wall: UInt64 = 1_700_000_000_000
        _ = clock.tick(wallMillis: wall)
        clock.receive(Timestamp(millis: wall + (23 * 60 + 58) * 60_000, counter: 0), wallMillis: wall)
        #expect(clock.last == Timestamp(millis: wall + HybridLogicalClock.maximumAdvance, counter: 0))
        // A clock already past the bound is never pulled back.
        clock.receive(Timestamp(millis: wall + 365 * 86_400_000, counter: 0), wallMillis: wall - 3_600_000)
        #expect(clock.last == Timestamp(millis: wall + HybridLogicalClock.maximumAdvance, counter: 0))
        // Once wall time passes it, local events follow wall time again.
        #expect(clock.tick(wallMillis: wall + 120_000) == Timestamp(millis: wall + 120_000, counter: 0))
    }

    @Test func onlyImpossibleTimestampsAreRefused() {
        #expect(throws: Never.self) { try HybridLogicalClock.check(Timestamp(millis: 0, counter: 0)) }
        #expect(throws: Never.self) {
            try HybridLogicalClock.check(Timestamp(millis: HybridLogicalClock.latestPlausibleMillis, counter: .max))
        }
        do {
            try HybridLogicalClock.check(Timestamp(millis: HybridLogicalClock.latestPlausibleMillis + 1, counter: 0))
            Issue.record("a timestamp after the year 9999 was accepted")
        } catch {
            #expect(error.code == .clockSkew)
            #expect(error.message.contains("9999"))
        }
    }
}
