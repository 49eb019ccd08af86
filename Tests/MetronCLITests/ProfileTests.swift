import Foundation
import MetronCore
import Testing

/// `metron profile` on programs whose split of work is known, with the real perf and massif.
@Suite(.serialized)
struct ProfileTests {
    /// hot() and cold() run the same 10-instruction loop, aligned alike: argv[2] and argv[3]
    /// iterations (70 and 30 by default) times argv[1].
    static let split = """
        #include <stdlib.h>
        #define SPIN(n) __asm__ volatile("1:\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tnop\\n\\tdec %0\\n\\tjnz 1b" : "+r"(n) :: "cc")
        __attribute__((noinline, aligned(64))) void hot(long n) { if (n > 0) SPIN(n); }
        __attribute__((noinline, aligned(64))) void cold(long n) { if (n > 0) SPIN(n); }
        __attribute__((noinline)) void *hold(size_t n) { char *p = malloc(n); for (size_t i = 0; i < n; i += 4096) p[i] = 1; return p; }
        int main(int argc, char **argv) {
            long scale = argc > 1 ? atol(argv[1]) : 1;
            long h = argc > 2 ? atol(argv[2]) : 70, c = argc > 3 ? atol(argv[3]) : 30;
            void *kept = hold(2 << 20);
            hot(h * scale); cold(c * scale);
            free(kept);
            return 0;
        }
        """

    func folder(_ name: String) throws -> String {
        let path = Binaries.temporaryPath(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theKnownSplitIsFoundAndTheDiffShowsWhatGrew() throws {
        let program = try ValgrindTests.compile(Self.split, name: "split")
        let work = try folder("profile")
        let first = try metron(["profile", "\(program) 15000000", "--output", work + "/before", "--heap"])
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        let before = try FoldedStacks.parse(folded: String(contentsOfFile: work + "/before/cpu.folded", encoding: .utf8))
        #expect(before.totalSamples > 300, "\(before.totalSamples) samples")
        let hot = before.share(of: "hot").inclusive, cold = before.share(of: "cold").inclusive
        #expect(abs(hot - 0.70) < 0.08 && abs(cold - 0.30) < 0.08, "hot \(hot), cold \(cold)")
        #expect(first.stdout.contains("Hottest frames") && first.stdout.contains("hot"), "\(first.stdout)")
        // The heap: 2 MiB held by hold(), called from main.
        #expect(first.stdout.contains("Heap peak: 2.00 MiB"), "\(first.stdout)")
        let heap = try String(contentsOfFile: work + "/before/heap.txt", encoding: .utf8)
        #expect(heap.contains("2097152\thold (split.c:5)\tmain (split.c:"), "\(heap)")
        let svg = try String(contentsOfFile: work + "/before/flamegraph.svg", encoding: .utf8)
        #expect(svg.contains("<title>hot (") && svg.contains("<script"))
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/before/profile.json"))) as? [String: Any]
        #expect((record?["hottest"] as? [[String: Any]])?.first?["name"] as? String == "hot")

        // cold() does twice the work: the diff names it as what grew.
        let second = try metron(["profile", "\(program) 15000000 70 60", "--output", work + "/after", "--baseline", work + "/before"])
        try #require(second.status == 0, "\(second.stdout)\(second.stderr)")
        let diffLines = second.stdout.components(separatedBy: "Against the baseline")[1].split(separator: "\n")
        #expect(diffLines.dropFirst().first?.contains("cold") == true && diffLines.dropFirst().first?.contains("+") == true, "\(second.stdout)")
        let diff = try String(contentsOfFile: work + "/after/diff.svg", encoding: .utf8)
        let coldFrame = try #require(diff.components(separatedBy: "<g ").first { $0.contains("<title>cold (") })
        #expect(coldFrame.contains("points") && coldFrame.contains("fill=\"rgb(255,"), "\(coldFrame)")
    }

    /// callgrind counts instructions, so the split is exact: hot() runs 10 instructions per
    /// iteration, 70 × scale iterations.
    @Test func callgrindCountsTheSplitExactlyAndStandsInForPerf() throws {
        let program = try ValgrindTests.compile(Self.split, name: "callgrind-split")
        let work = try folder("profile-callgrind")
        let first = try metron(["profile", "--valgrind", "\(program) 100000", "--output", work + "/before"])
        try #require(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("instructions, counted by callgrind"), "\(first.stdout)")
        let before = try FoldedStacks.parse(folded: String(contentsOfFile: work + "/before/cpu.folded", encoding: .utf8))
        let hotStack = try #require(before.counts.first { $0.key.last == "hot" })
        #expect(Array(hotStack.key.suffix(2)) == ["main", "hot"] && hotStack.key.first == "callgrind-split", "\(hotStack.key)")
        #expect(abs(Double(hotStack.value) / 70_000_000 - 1) < 0.001, "\(hotStack.value) instructions in hot")
        let hot = before.share(of: "hot").inclusive, cold = before.share(of: "cold").inclusive
        #expect(abs(hot - 0.70) < 0.01 && abs(cold - 0.30) < 0.01, "hot \(hot), cold \(cold)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/before/profile.json"))) as? [String: Any]
        #expect(record?["weight"] as? String == "instructions")
        let svg = try String(contentsOfFile: work + "/before/flamegraph.svg", encoding: .utf8)
        #expect(svg.contains("<title>hot (70.0 M instructions, "), "the tooltip counts instructions")

        // perf failing as it does where perf_event_paranoid forbids it: callgrind stands in, and
        // the diff against the first profile names cold() as what grew.
        let bin = try folder("profile-forbidden-perf")
        try "#!/bin/sh\necho 'Error: Access to performance monitoring and observability operations is limited. perf_event_paranoid setting is 4' >&2\nexit 255\n"
            .write(toFile: bin + "/perf", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/perf")
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let second = try metron(["profile", "\(program) 100000 70 60", "--output", work + "/after", "--baseline", work + "/before"],
                                environment: ["PATH": path])
        try #require(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("perf record failed (exit 255)") && second.stdout.contains("paranoid=1")
                && second.stdout.contains("Counting instructions under Valgrind's callgrind instead"), "\(second.stdout)")
        let diffLines = second.stdout.components(separatedBy: "Against the baseline")[1].split(separator: "\n")
        #expect(diffLines.dropFirst().first?.contains("cold") == true && diffLines.dropFirst().first?.contains("+") == true, "\(second.stdout)")
    }

    @Test func suiteBenchmarksAndClearRefusals() throws {
        let program = try ValgrindTests.compile(Self.split, name: "suite-split")
        let work = try folder("profile-suite")
        try """
            version: 1
            suites:
              cpu:
                benchmarks:
                  - name: split
                    command: \(program) {n}
                    parameters:
                      n: [5000000, 10000000]
            """.write(toFile: work + "/metron.yml", atomically: true, encoding: .utf8)
        let suite = try metron(["profile", "--benchmark", "cpu/split"], directory: work)
        #expect(suite.status == 0, "\(suite.stdout)\(suite.stderr)")
        // The first parameter combination, stored under its key.
        let saved = try FileManager.default.contentsOfDirectory(atPath: work + "/.metron/profiles/cpu-split-n-5000000")
        #expect(saved.count == 1, "\(saved)")
        let unknown = try metron(["profile", "--benchmark", "cpu/nope"], directory: work)
        #expect(unknown.status == 2 && unknown.stderr.contains("has no command benchmark 'cpu/nope'; it has: cpu/split [n=5000000], cpu/split [n=10000000]"),
                "\(unknown.stderr)")
        // A parameter combination by its key.
        let second = try metron(["profile", "--benchmark", "cpu/split [n=10000000]"], directory: work)
        #expect(second.status == 0 && second.stdout.contains("Profiling cpu/split [n=10000000]"), "\(second.stdout)\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/.metron/profiles/cpu-split-n-10000000"))
        // No perf on the PATH: one line, exit 2, nothing run.
        let empty = try folder("no-perf")
        let missing = try metron(["profile", "\(program) 1"], environment: ["PATH": empty])
        #expect(missing.status == 2 && missing.stderr.contains("needs perf (apt-get install linux-perf) or valgrind"), "\(missing.stderr)")
        let bad = try metron(["profile", "\(program) 1", "--baseline", work + "/metron.yml"])
        #expect(bad.status == 2 && bad.stderr.contains("metron.yml:2: expected"), "\(bad.stderr)")
    }
}
