import Foundation
import MetronCore
@testable import MetronReport
import Testing

/// The dashboard file: self-contained, escaped, complete for 500 benchmarks, and — in a real
/// headless Chromium — rendered with its script run, its filter working and no console errors.
struct HTMLReportTests {
    static let fixture = ReportFixture(benchmarks: 500)

    @Test func isOneSelfContainedFile() {
        let html = HTMLReport.render(Self.fixture.data())
        #expect(html.hasPrefix("<!DOCTYPE html>") || html.hasPrefix("<!doctype html>"))
        // Works offline: nothing is fetched (no external scripts, styles, fonts or images).
        for pattern in ["<script src", "<link", "@import", "url(http", "src=\"http", "href=\"http", "src='http"] {
            #expect(!html.contains(pattern), "found \(pattern)")
        }
        #expect(html.contains("<svg"), "charts are inline SVG")
        #expect(html.contains("id=\"filter\""))
        #expect(html.components(separatedBy: "<tbody class=\"bench\"").count - 1 == 500)
        for section in ["summary", "highlights", "sla", "recommendations", "scans", "benchmarks"] {
            #expect(html.contains("id=\"\(section)\""), "missing section \(section)")
        }
    }

    @Test func namesAreEscaped() {
        let html = HTMLReport.render(Self.fixture.data())
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;"))
    }

    @Test func summaryCountsTheFindings() {
        let data = Self.fixture.data()
        let html = HTMLReport.render(data)
        // The fixture breaks budgets and regresses in its latest run.
        #expect(!data.passed())
        #expect(html.contains("✘ FAIL"))
        #expect(!data.regressions.isEmpty && !data.improvements.isEmpty)
        let failing = data.checks.filter { $0.outcome == .failed && ($0.severity ?? .error) == .error }.count
        #expect(html.contains("\(failing) error-level finding"))
        // A suite of benchmarks that met everything passes.
        let calm = ReportFixture(benchmarks: 3).data(suite: "startup")
        #expect(calm.passed(), "\(calm.checks.filter { $0.outcome == .failed })")
        let calmHTML = HTMLReport.render(calm)
        #expect(calmHTML.contains("✔ PASS"))
        #expect(!calmHTML.contains("✘ FAIL"))
    }

    @Test func rendersInHeadlessChromium() throws {
        let chromium = try #require(Browser.find(), "Debian's chromium is needed: apt-get install chromium (scripts/test.sh does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metron-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        try HTMLReport.render(Self.fixture.data()).write(to: page, atomically: true, encoding: .utf8)

        // The DOM after the script ran, filtered through the URL's hash.
        let dump = try Browser.run(chromium, ["--dump-dom", page.absoluteString + "#q=pairwise-dedupe"])
        #expect(dump.status == 0, "\(dump.log)")
        #expect(dump.output.contains("data-ready=\"1\""), "the inline script did not finish")
        #expect(dump.output.contains("data-visible=\"5\""), "the filter should leave the 5 sizes of the scan")
        #expect(dump.output.contains("5 of 500 benchmarks"))
        let console = dump.log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console output: \(console)")

        let shot = directory.appendingPathComponent("report.png")
        let screenshot = try Browser.run(chromium, ["--window-size=1400,2400", "--screenshot=\(shot.path)", page.absoluteString])
        #expect(screenshot.status == 0, "\(screenshot.log)")
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 50_000, "a blank page compresses to a few kB; got \(png.count) bytes")
    }
}

/// Debian's headless Chromium, run with a private profile.
enum Browser {
    static func find() -> String? {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return nil
    }

    static func run(_ chromium: String, _ arguments: [String]) throws -> (status: Int32, output: String, log: String) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("metron-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                             "--virtual-time-budget=5000"] + arguments
        let output = Pipe(), log = Pipe()
        process.standardOutput = output
        process.standardError = log
        try process.run()
        // Read both pipes while it runs: a full pipe would stall the browser.
        nonisolated(unsafe) var logData = Data()
        let reader = Thread { logData = log.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: logData, as: UTF8.self))
    }
}
