import Foundation

/// Peak resident memory (VmHWM, the "high water mark" of the resident set) of a process, and
/// the child processes that measure one scenario each.
///
/// A fresh child per measurement: the high water mark never comes down, so a process that ran
/// one scenario cannot measure the next, and the parent's own setup (filling a 100k-note store)
/// must not count.
enum PeakMemory {
    /// This process's VmHWM in KiB, from /proc/self/status (Linux); nil where there is none.
    static func ownPeakKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// The line a child ends with, which the parent looks for.
    static let resultPrefix = "vmhwm_kib "

    static func printOwnPeak() {
        print(resultPrefix + "\(ownPeakKiB() ?? -1)")
        fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
    }

    /// This executable, to run again as a child.
    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    struct ChildError: Error, CustomStringConvertible {
        var description: String
    }

    /// A child process running `memory-scenario ARGUMENTS`, with pipes to its stdin and stdout.
    final class Child {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private var buffered = Data()

        init(_ arguments: [String]) throws {
            process.executableURL = PeakMemory.executable
            process.arguments = ["memory-scenario"] + arguments
            process.standardInput = input
            process.standardOutput = output
            try process.run()
        }

        /// The next line the child prints; nil once it has closed its output.
        func readLine() -> String? {
            while true {
                if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                    buffered = Data(buffered[buffered.index(after: newline)...])
                    return line
                }
                let more = output.fileHandleForReading.availableData
                if more.isEmpty { return nil }
                buffered.append(more)
            }
        }

        /// Closes the child's stdin (its signal to finish), then reads to its result line.
        func finish() throws -> Int {
            try input.fileHandleForWriting.close()
            var peak: Int?
            while let line = readLine() {
                if line.hasPrefix(PeakMemory.resultPrefix) { peak = Int(line.dropFirst(PeakMemory.resultPrefix.count)) }
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0, let peak, peak > 0 else {
                throw ChildError(description: "memory-scenario \(process.arguments?.dropFirst().joined(separator: " ") ?? "") failed (status \(process.terminationStatus))")
            }
            return peak
        }
    }
}
