import Foundation
import MetronCore
@testable import MetronReport
import Testing

/// The flame graph is one SVG file that works on its own: frames sized by their samples, a
/// tooltip with each share, and a script that zooms and searches — run in headless Chromium.
struct FlameGraphTests {
    static let profile = try! FoldedStacks.parse(folded: "app;main;hot 60\napp;main;cold 30\napp;main;cold;<helper> 10\n")

    @Test func framesAreSizedByTheirSamples() throws {
        let svg = FlameGraph.svg(Self.profile, title: "CPU: app")
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg") && svg.hasSuffix("</svg>\n"))
        // main spans the whole width, hot 60 % of it, cold 40 % (with its callee).
        #expect(svg.contains("<title>main (100 samples, 100.00 %)</title>"))
        #expect(svg.contains("<title>hot (60 samples, 60.00 %)</title>") && svg.contains("width=\"720.0\""))
        #expect(svg.contains("<title>cold (40 samples, 40.00 %)</title>") && svg.contains("width=\"480.0\""))
        // Names are escaped.
        #expect(svg.contains("&lt;helper&gt;") && !svg.contains("<helper>"))
        // The same profile draws the same file.
        #expect(svg == FlameGraph.svg(Self.profile, title: "CPU: app"))
    }

    @Test func theDifferentialGraphColoursWhatGrew() throws {
        let before = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 30\n")
        let after = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 70\n")
        let svg = FlameGraph.svg(after, title: "diff", baseline: before)
        let cold = try #require(svg.components(separatedBy: "<g ").first { $0.contains("<title>cold ") })
        let hot = try #require(svg.components(separatedBy: "<g ").first { $0.contains("<title>hot ") })
        #expect(cold.contains("baseline 30.00 %, +20.00 points") && cold.contains("fill=\"rgb(255,"), "\(cold)")
        #expect(hot.contains("baseline 70.00 %, −20.00 points") && hot.contains(",255)\""), "\(hot)")
    }

    @Test func zoomsAndSearchesInHeadlessChromium() throws {
        let chromium = try #require(Browser.find(), "Debian's chromium is needed: apt-get install chromium (scripts/test.sh does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metron-flame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = FlameGraph.svg(Self.profile, title: "CPU: app")
        let file = directory.appendingPathComponent("flamegraph.svg")
        try svg.write(to: file, atomically: true, encoding: .utf8)
        // The SVG inline in a page whose script drives it as a user would and writes down what it saw.
        let inline = svg.components(separatedBy: "\n").dropFirst().joined(separator: "\n")
        let page = directory.appendingPathComponent("drive.html")
        try """
            <!doctype html><html><body>\(inline)
            <script>
            var g = window.metronFlameGraph, out = document.body.dataset;
            out.matched = g.search('cold');
            out.label = document.getElementById('matched').textContent;
            var hot = g.frames.filter(function (f) { return f.querySelector('text').getAttribute('data-name') === 'hot'; })[0];
            g.zoom(hot);
            out.hotWidth = hot.querySelector('rect').getAttribute('width');
            out.coldHidden = g.frames.filter(function (f) { return f.querySelector('text').getAttribute('data-name') === 'cold'; })[0].style.display;
            g.reset();
            out.hotAfterReset = hot.querySelector('rect').getAttribute('width');
            </script></body></html>
            """.write(to: page, atomically: true, encoding: .utf8)
        let dump = try Browser.run(chromium, ["--dump-dom", page.absoluteString])
        #expect(dump.status == 0, "\(dump.log)")
        #expect(dump.output.contains("data-matched=\"40\"") && dump.output.contains("data-label=\"Matched: 40.0 %\""), "\(dump.output.prefix(300))")
        #expect(dump.output.contains("data-hot-width=\"1200.0\"") && dump.output.contains("data-cold-hidden=\"none\""))
        #expect(dump.output.contains("data-hot-after-reset=\"720.0\""))
        let console = dump.log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console output: \(console)")
        // The file alone renders.
        let shot = directory.appendingPathComponent("flame.png")
        let screenshot = try Browser.run(chromium, ["--window-size=1200,200", "--screenshot=\(shot.path)", file.absoluteString])
        #expect(screenshot.status == 0, "\(screenshot.log)")
        #expect(try Data(contentsOf: shot).count > 5_000, "a blank image compresses to almost nothing")
    }

    @Test func theReportShowsTheDiffOfARegressedBenchmark() throws {
        var data = ReportFixture(benchmarks: 3).data()
        let name = try #require(data.run.benchmarks.first?.key)
        let before = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 30\n")
        let after = try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold 70\n")
        data.profileDiffs = [name: FlameGraph.svg(after, title: "diff & <more>", baseline: before)]
        let html = HTMLReport.render(data)
        #expect(html.contains("What grew since the previous profile"))
        let source = try #require(html.components(separatedBy: "src=\"data:image/svg+xml;charset=utf-8,").dropFirst().first?
            .components(separatedBy: "\"").first)
        #expect(!source.contains("<") && !source.contains(" ") && source.contains("%3Csvg"))
        // The encoded image decodes to the SVG itself.
        #expect(source.removingPercentEncoding == data.profileDiffs[name])
        #expect(!HTMLReport.render(ReportFixture(benchmarks: 3).data()).contains("What grew since"))
    }
}
