@testable import Pairing
import Testing

@Suite("The password scalar w")
struct PasswordScalarTests {
    @Test("scrypt gives RFC 7914's second test vector, so N, r and p reach OpenSSL in the right places")
    func scryptVector() throws {
        let derived = try SymmetricPrimitives.scrypt(
            password: Array("password".utf8), salt: Array("NaCl".utf8),
            cost: ScryptCost(blockCount: 1024, blockSize: 8, parallelism: 16), length: 64)
        #expect(derived == [UInt8](hex: """
            fd ba be 1c 9d 34 72 00 78 56 e7 19 0d 01 e9 fe
            7c 6a d7 cb c8 23 78 30 e7 73 76 63 4b 37 31 62
            2e af 30 d9 2e 22 a3 88 6f f1 09 27 9d 98 30 da
            c7 27 af b9 4a 83 ee 6d 83 60 cb df a2 cc 06 40
            """))
    }

    @Test("w is scrypt's 40 bytes reduced mod p, at the pairing cost, the same on every run")
    func derivation() throws {
        let code = Array("4711 0815".utf8)
        let w = try PasswordScalar(code: code)
        let expanded = try SymmetricPrimitives.scrypt(password: code, salt: PasswordScalar.pairingSalt,
                                                      cost: PasswordScalar.pairingCost, length: 40)
        let group = try P256Group()
        #expect(w.bigEndian == (try group.reduced(bigEndian: expanded).bigEndian(width: 32)))
        #expect(w.bigEndian == (try PasswordScalar(code: code)).bigEndian)
        #expect((try? PasswordScalar(bigEndian: w.bigEndian)) != nil, "w lies in 1 ..< p")
    }

    @Test("another code or another salt gives another w")
    func separation() throws {
        let base = try cheapPassword("4711").bigEndian
        #expect(try cheapPassword("4712").bigEndian != base)
        let otherSalt = try PasswordScalar(code: Array("4711".utf8), salt: Array("elsewhere".utf8),
                                           cost: ScryptCost(blockCount: 16, blockSize: 1, parallelism: 1))
        #expect(otherSalt.bigEndian != base)
    }
}
