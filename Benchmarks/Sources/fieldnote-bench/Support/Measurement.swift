import Foundation

/// Timing and the machine the timings came from.
enum Measurement {
    /// Runs `body` once to warm caches and the allocator, then `runs` times; the median in milliseconds.
    static func medianMilliseconds(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        try medianMilliseconds(runs: runs, setup: {}, body)
    }

    /// The same, with `setup` run untimed before each run (the warm-up too): for work that
    /// needs a fresh starting point every time, such as a sync into an empty store.
    static func medianMilliseconds(runs: Int, setup: () throws -> Void, _ body: () throws -> Void) rethrows -> Double {
        try setup()
        try body()
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, runs) {
            try setup()
            samples.append(milliseconds(try clock.measure(body)))
        }
        return median(samples)
    }

    /// Wall and CPU medians of `runs` runs after a warm-up, `setup` untimed before each. CPU is
    /// user + system time of the whole process (every thread: a sync's server side too); on a
    /// machine shared with other work it moves far less than the wall time does.
    static func medianTimes(runs: Int, setup: () throws -> Void = {}, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        try setup()
        try body()
        var walls: [Double] = []
        var cpus: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, runs) {
            try setup()
            let cpuBefore = processCPUMilliseconds()
            walls.append(milliseconds(try clock.measure(body)))
            cpus.append(processCPUMilliseconds() - cpuBefore)
        }
        return (median(walls), median(cpus))
    }

    /// User + system CPU time this process has used, all threads, in milliseconds.
    static func processCPUMilliseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)  // glibc: a C enum case, the call takes its Int32
        func ms(_ time: timeval) -> Double { Double(time.tv_sec) * 1_000 + Double(time.tv_usec) / 1_000 }
        return ms(usage.ru_utime) + ms(usage.ru_stime)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// "1k", "10k", "100k", "1m" for round sizes, else the number: the suffix of size-named keys.
    static func sizeLabel(_ count: Int) -> String {
        if count >= 1_000_000, count % 1_000_000 == 0 { return "\(count / 1_000_000)m" }
        if count >= 1_000, count % 1_000 == 0 { return "\(count / 1_000)k" }
        return "\(count)"
    }

    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    static var cpuModel: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }
}

/// A flat JSON object writer: enough for one line of results, with keys in the order given.
struct JSONLine {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: Int) { fields.append("\"\(key)\":\(value)") }
    mutating func add(_ key: String, _ value: Double) { fields.append("\"\(key)\":\((value * 1000).rounded() / 1000)") }
    mutating func add(_ key: String, _ value: String) { fields.append("\"\(key)\":\(JSONLine.quote(value))") }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
