import Foundation
import Testing

/// The HTML report in a real browser: `Scripts/render-report-html` renders the demo's report with
/// headless Chromium and checks the PNG. Runs only where `chromium` is on the PATH (install it with
/// `apt-get install -y chromium`); elsewhere the test is skipped and says why.
@Suite("HTML report in a browser")
struct ReportHTMLRenderTests {
    static var chromium: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// The package root: this file is Tests/FieldnoteTests/ReportHTMLRenderTests.swift.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test("headless Chromium renders the report with its charts",
          .enabled(if: chromium != nil, "chromium is not on the PATH; install it (apt-get install -y chromium) to run this check"))
    func chromiumRendersTheCharts() throws {
        let sandbox = try Sandbox()
        let output = sandbox.root.appendingPathComponent("render")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.packageRoot.appendingPathComponent("Scripts/render-report-html").path, output.path]
        var environment = ProcessInfo.processInfo.environment
        environment["FIELDNOTE_BIN"] = FieldnoteProcess.executable.path
        environment["NO_COLOR"] = "1"
        process.environment = environment
        // Output to files, not pipes: Chromium's chatter cannot fill a pipe nobody reads yet.
        let outFile = sandbox.root.appendingPathComponent("render.out"), errFile = sandbox.root.appendingPathComponent("render.err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        process.waitUntilExit()
        let printed = try String(contentsOf: outFile, encoding: .utf8)
        let errors = try Data(contentsOf: errFile)
        #expect(process.terminationStatus == 0, "\(printed)\n\(String(decoding: errors, as: UTF8.self))")
        #expect(printed.contains("chart blue"))
        let png = try Data(contentsOf: output.appendingPathComponent("report.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a \(png.count)-byte screenshot is too small to hold the report")
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("held back"))
    }
}
