import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking POSIX sockets: the only I/O the transport does. OpenSSL reads and writes the
/// descriptor itself (`SSL_set_fd`); these helpers open, bound and time it.
enum Sockets {
    /// Writes to a socket whose peer has gone would otherwise kill the process with SIGPIPE.
    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Resolves `host` and `port` (numeric or a name; IPv4 or IPv6).
    static func resolve(_ host: String, _ port: UInt16, passive: Bool) throws(TransportError) -> [(family: Int32, address: [UInt8])] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var result: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw TransportError(passive ? .cannotListen : .unreachable,
                                 "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        var addresses: [(Int32, [UInt8])] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            let raw = UnsafeRawBufferPointer(start: entry.pointee.ai_addr, count: Int(entry.pointee.ai_addrlen))
            addresses.append((entry.pointee.ai_family, Array(raw)))
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// A listening socket bound to `host:port` (port 0: the system picks). Returns it and the bound port.
    static func listen(host: String, port: UInt16, backlog: Int32 = 64) throws(TransportError) -> (Int32, UInt16) {
        _ = ignoreSIGPIPE
        var lastError = "no address"
        for (family, address) in try resolve(host, port, passive: true) {
            let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { lastError = errorText(); continue }
            var one: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = address.withUnsafeBytes { buffer in
                bind(descriptor, buffer.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(buffer.count))
            }
            guard bound == 0, Glibc.listen(descriptor, backlog) == 0 else {
                lastError = errorText()
                close(descriptor)
                continue
            }
            return (descriptor, localPort(descriptor))
        }
        throw TransportError(.cannotListen, "cannot listen on \(host):\(port): \(lastError)")
    }

    static func localPort(_ descriptor: Int32) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(descriptor, $0, &length) }
        }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The peer's address as `host:port` text, for logs.
    static func peerName(_ descriptor: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Bool in
                getpeername(descriptor, address, &length) == 0
                    && getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                                   NI_NUMERICHOST | NI_NUMERICSERV) == 0
            }
        }
        return ok ? "\(text(host)):\(text(service))" : "unknown peer"
    }

    /// Waits up to `milliseconds` for a connection on `listener`; nil when none came.
    static func accept(_ listener: Int32, waitingAtMost milliseconds: Int32) -> Int32? {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0, poller.revents & Int16(POLLIN) != 0 else { return nil }
        let descriptor = Glibc.accept(listener, nil, nil)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return descriptor >= 0 ? descriptor : nil
    }

    /// Waits, without a timeout, for a connection on `listener` or a byte on `wake`; returns the
    /// accepted connection, or nil when woken (or when accepting failed, after a short pause so
    /// that a persistent failure such as running out of descriptors does not spin).
    static func accept(_ listener: Int32, wake: Int32) -> Int32? {
        var pollers = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        guard poll(&pollers, 2, -1) > 0, pollers[1].revents == 0, pollers[0].revents & Int16(POLLIN) != 0 else { return nil }
        let descriptor = Glibc.accept(listener, nil, nil)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        if descriptor < 0 && errno != EAGAIN && errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
        return descriptor >= 0 ? descriptor : nil
    }

    /// Whether a read on `descriptor` would return at once: bytes have arrived, or the peer
    /// closed or reset the connection.
    static func isReadable(_ descriptor: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0 && poller.revents != 0
    }

    /// A close-on-exec pipe for waking a thread blocked in `poll`.
    static func wakePipe() throws(TransportError) -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw TransportError(.cannotListen, "cannot create a pipe: \(errorText())") }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// Makes the read end of a `wakePipe` readable.
    static func wakeUp(_ write: Int32) -> Bool {
        var byte: UInt8 = 1
        return Glibc.write(write, &byte, 1) == 1
    }

    /// A connected socket to `host:port`, trying each address in turn, each within `timeout`.
    static func connect(host: String, port: UInt16, timeout: Duration) throws(TransportError) -> Int32 {
        _ = ignoreSIGPIPE
        var lastError = "no address"
        var timedOut = false
        for (family, address) in try resolve(host, port, passive: false) {
            let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { lastError = errorText(); continue }
            let flags = fcntl(descriptor, F_GETFL)
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
            var result = address.withUnsafeBytes { buffer in
                Glibc.connect(descriptor, buffer.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(buffer.count))
            }
            var code: Int32 = result == 0 ? 0 : errno
            if result != 0 && code == EINPROGRESS {
                var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                result = poll(&poller, 1, Int32(clamping: timeout.milliseconds))
                if result == 0 {
                    code = ETIMEDOUT
                    timedOut = true
                } else {
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
                }
            }
            if code == 0 {
                _ = fcntl(descriptor, F_SETFL, flags)
                var one: Int32 = 1
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return descriptor
            }
            lastError = errorText(code)
            close(descriptor)
        }
        throw TransportError(timedOut ? .timedOut : .unreachable, "cannot connect to \(host):\(port): \(lastError)")
    }

    /// Bounds each blocking read and write on `descriptor` to `timeout`.
    static func setTimeouts(_ descriptor: Int32, _ timeout: Duration) {
        let milliseconds = max(1, timeout.milliseconds)
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: Int((milliseconds % 1000) * 1000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func setNoDelay(_ descriptor: Int32) {
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}

/// The text of a NUL-terminated C buffer.
func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
