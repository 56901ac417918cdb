import COpenSSL

/// The OpenSSL the binary runs against, for `fieldnote --version` and bug reports.
public enum OpenSSLLibrary {
    public static var version: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }

    /// The protocol version fieldnote insists on; nothing older is ever negotiated.
    public static var tls13: Int32 { fieldnote_TLS1_3_VERSION() }
}
