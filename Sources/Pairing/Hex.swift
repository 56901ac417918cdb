extension [UInt8] {
    /// The bytes that `text` spells in hexadecimal, ignoring whitespace (so a value wrapped over
    /// lines, as RFCs print them, reads as one); nil for an odd count of digits or any other
    /// character. For constants written as their specifications write them, and for tests.
    package init?(hex text: String) {
        let digits = text.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for digit in digits {
            guard digit.isASCII, let value = UInt8(String(digit), radix: 16) else { return nil }
            if let pending = high {
                bytes.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        self = bytes
    }

    /// The bytes as lowercase hexadecimal, for messages and test output.
    package var hexString: String {
        lazy.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 0x10 ? "0" + digits : digits
        }.joined()
    }
}
