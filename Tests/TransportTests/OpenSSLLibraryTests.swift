import Testing
@testable import Transport

@Suite("OpenSSL")
struct OpenSSLLibraryTests {
    @Test func linksOpenSSLThree() {
        #expect(OpenSSLLibrary.version.hasPrefix("OpenSSL 3."))
        #expect(OpenSSLLibrary.tls13 == 0x0304)
    }
}
