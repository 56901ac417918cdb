import Testing
import Foundation
@testable import Storage

@Suite("Store location")
struct StoreLocationTests {
    @Test func explicitBeatsEnvironmentBeatsHome() {
        let env = ["FIELDNOTE_HOME": "/tmp/env-store", "HOME": "/home/worker"]
        #expect(StoreLocation.resolve(explicit: "/tmp/cli", environment: env).directory.path == "/tmp/cli")
        #expect(StoreLocation.resolve(explicit: nil, environment: env).directory.path == "/tmp/env-store")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["HOME": "/home/worker"]).directory.path == "/home/worker/.fieldnote")
    }
}
