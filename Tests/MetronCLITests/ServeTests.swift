import Foundation
import MetronCore
import Testing

/// `metron serve` over real HTTP on loopback, against SQLite and (with METRON_TEST_POSTGRES_URL)
/// PostgreSQL: uploads, auth failures, bad and oversized bodies that leave nothing stored,
/// history and comparison queries, the live dashboard, health, and a graceful stop.
@Suite(.serialized)
struct ServeTests {
    /// A running `metron serve`; stopped with SIGTERM.
    final class Server {
        let process = Process()
        let stdout = Binaries.temporaryPath("serve-out")
        let stderr = Binaries.temporaryPath("serve-err")
        var port = 0

        init(_ arguments: [String], token: String?, directory: String? = nil) throws {
            process.executableURL = URL(fileURLWithPath: Binaries.metron)
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            process.arguments = ["serve", "--port", "0"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["METRON_TOKEN"] = token
            if token == nil { environment.removeValue(forKey: "METRON_TOKEN") }
            process.environment = environment
            _ = FileManager.default.createFile(atPath: stdout, contents: nil)
            _ = FileManager.default.createFile(atPath: stderr, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && process.isRunning {
                let text = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                    port = Int(text[range].dropFirst("http://127.0.0.1:".count).dropLast()) ?? 0
                    return
                }
                usleep(20_000)
            }
            throw HTTPClient.Failure(description: "metron serve did not start: \(output)")
        }

        var output: String {
            ((try? String(contentsOfFile: stdout, encoding: .utf8)) ?? "") + ((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")
        }

        func get(_ path: String) throws -> HTTPReply { try HTTPClient.request(port: port, "GET", path) }

        func post(_ path: String, body: Data, token: String?) throws -> HTTPReply {
            try HTTPClient.request(port: port, "POST", path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:], body: body)
        }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// A real measured run as JSON, and copies of it under other ids.
    static let runJSON: Data = {
        let path = Binaries.temporaryPath("run.json")
        _ = try? metron(["exec", "--runs", "5", "--name", "noop", "--export-json", path, Binaries.workload("noop")])
        return (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
    }()

    static func copy(id: String) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: runJSON) as? [String: Any])
        object["id"] = id
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func stores() -> [String] {
        var stores = ["sqlite"]
        if ProcessInfo.processInfo.environment["METRON_TEST_POSTGRES_URL"] != nil { stores.append("postgres") }
        return stores
    }

    /// A fresh store location of the kind.
    static func freshStore(_ kind: String) throws -> String {
        guard kind == "postgres", let url = ProcessInfo.processInfo.environment["METRON_TEST_POSTGRES_URL"] else {
            return Binaries.temporaryPath("serve.sqlite")
        }
        let database = "metron_serve_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", url, "-q", "-c", "CREATE DATABASE \(database)"]
        try psql.run()
        psql.waitUntilExit()
        try #require(psql.terminationStatus == 0, "psql could not create a database")
        var components = try #require(URLComponents(string: url))
        components.path = "/" + database
        return try #require(components.string)
    }

    @Test(arguments: stores())
    func uploadsQueriesAndFailures(store kind: String) throws {
        try #require(!Self.runJSON.isEmpty, "metron exec could not produce a run")
        let store = try Self.freshStore(kind)
        let server = try Server(["--store", store, "--max-upload-mib", "1", "--config", "/nonexistent/metron.yml"], token: "s3cret")

        let health = try server.get("/health")
        #expect(health.status == 200, "\(health.text)")
        let status = try health.json() as? [String: Any]
        #expect(status?["status"] as? String == "ok")
        #expect(status?["store"] as? String == "reachable")
        #expect(status?["version"] as? String == MetronVersion.current)
        #expect(try server.get("/").text.contains("No runs stored yet"))

        // Refused uploads, each leaving the store as it was.
        let run = Self.runJSON
        #expect(try server.post("/api/runs", body: run, token: nil).status == 401)
        let wrong = try server.post("/api/runs", body: run, token: "s3cre7")
        #expect(wrong.status == 401)
        #expect(wrong.text.contains("wrong token"))
        let malformed = try server.post("/api/runs", body: Data("{\"id\": \"x\", ".utf8), token: "s3cret")
        #expect(malformed.status == 400)
        #expect(malformed.text.contains("malformed JSON") || malformed.text.contains("not a Metron run report"), "\(malformed.text)")
        var object = try #require(try JSONSerialization.jsonObject(with: run) as? [String: Any])
        object.removeValue(forKey: "benchmarks")
        let incomplete = try server.post("/api/runs", body: try JSONSerialization.data(withJSONObject: object), token: "s3cret")
        #expect(incomplete.status == 400)
        #expect(incomplete.text.contains("benchmarks"), "the reason names the missing field: \(incomplete.text)")
        let oversized = try server.post("/api/runs", body: Data(repeating: 0x20, count: 2 << 20), token: "s3cret")
        #expect(oversized.status == 413, "\(oversized.status) \(oversized.text)")
        #expect(try server.get("/api/runs").json() as? [Any] != nil)
        #expect((try server.get("/api/runs").json() as? [Any])?.isEmpty == true, "nothing half-stored")

        // Accepted uploads.
        let created = try server.post("/api/runs", body: try Self.copy(id: "run-a"), token: "s3cret")
        #expect(created.status == 201, "\(created.text)")
        #expect((try created.json() as? [String: Any])?["id"] as? String == "run-a")
        #expect(try server.post("/api/runs", body: try Self.copy(id: "run-a"), token: "s3cret").status == 409)
        #expect(try server.post("/api/runs", body: try Self.copy(id: "run-b"), token: "s3cret").status == 201)

        let runs = try #require(try server.get("/api/runs").json() as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["id"] as? String }) == ["run-a", "run-b"])
        #expect((try server.get("/health").json() as? [String: Any])?["runs"] as? Int == 2, "every stored run counted")
        let head = try HTTPClient.request(port: server.port, "HEAD", "/health")
        #expect(head.status == 200 && head.body.isEmpty, "HEAD answers like GET without a body")
        let unknown = try server.get("/api/nothing")
        #expect(unknown.status == 404 && (try? unknown.json() as? [String: String])?["error"]?.contains("no endpoint GET /api/nothing") == true,
                "\(unknown.text)")
        // A baseline whose name holds a slash, percent-encoded in the path.
        let named = try metron(["baseline", "save", "release/1.2", "run-a", "--store", store])
        #expect(named.status == 0, "\(named.stderr)")
        let slashed = try server.get("/api/runs/release%2F1.2")
        #expect(slashed.status == 200 && (try? decodeReport(data: slashed.body))?.id == "run-a", "\(slashed.text)")
        let one = try server.get("/api/runs/run-a")
        #expect(one.status == 200)
        let decoded = try decodeReport(data: one.body)
        #expect(decoded.id == "run-a")
        #expect(decoded.benchmarks.first?.metric(.wallTime)?.samples.count == 5)
        #expect(try server.get("/api/runs/nope").status == 404)
        #expect(try server.get("/api/benchmarks").json() as? [String] == ["noop"])
        let history = try #require(try server.get("/api/history?benchmark=noop&limit=10").json() as? [[String: Any]])
        #expect(history.count == 2)
        #expect(try server.get("/api/history").status == 400)
        #expect(try server.get("/api/history?benchmark=noop&limit=abc").status == 400)
        #expect(try server.get("/api/history?benchmark=none-such").status == 404)
        let comparison = try server.get("/api/compare?baseline=run-a&current=run-b")
        #expect(comparison.status == 200, "\(comparison.text)")
        let compared = try #require(try comparison.json() as? [String: Any])
        #expect(compared["baselineRunID"] as? String == "run-a")
        #expect((compared["comparisons"] as? [Any])?.count == 1)
        #expect(try server.get("/api/compare?baseline=nope").status == 404)

        // The dashboard renders the stored runs live.
        let page = try server.get("/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("<svg"))
        #expect(page.text.contains("noop"))

        #expect(server.stop() == 0, "a graceful stop: \(server.output)")
    }

    @Test func uploadsNeedATokenAndOnlyLoopbackGoesWithout() throws {
        let store = Binaries.temporaryPath("serve.sqlite")
        let server = try Server(["--store", store], token: nil)
        let refused = try server.post("/api/runs", body: Self.runJSON, token: "anything")
        #expect(refused.status == 403)
        #expect(refused.text.contains("METRON_TOKEN"))
        #expect(server.output.contains("uploads disabled"))
        _ = server.stop()

        let exposed = try metron(["serve", "--host", "0.0.0.0", "--port", "0", "--store", store], environment: ["METRON_TOKEN": ""])
        #expect(exposed.status == 2)
        #expect(exposed.stderr.contains("refusing to listen on 0.0.0.0 without a token"), "\(exposed.stderr)")
        for weak in ["s3cret", "a long token with spaces in it"] {
            let guessable = try metron(["serve", "--host", "0.0.0.0", "--port", "0", "--store", store], environment: ["METRON_TOKEN": weak])
            #expect(guessable.status == 2 && guessable.stderr.contains("at least 16 characters without spaces"), "\(guessable.stderr)")
        }
    }

    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `GET /metrics` on a store of native and imported results (a summary among them): the text
    /// passes Prometheus's own linter, and prometheus_client's parser reads back each benchmark's
    /// latest figures, odd names escaped.
    @Test(arguments: stores())
    func metricsAreTheLatestFiguresInPrometheusFormat(store kind: String) throws {
        try #require(!Self.runJSON.isEmpty, "metron exec could not produce a run")
        let store = try Self.freshStore(kind)
        let work = Binaries.temporaryPath("metrics")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var older = try #require(try JSONSerialization.jsonObject(with: Self.runJSON) as? [String: Any])
        older["id"] = "run-old"
        older["startedAt"] = "2020-01-01T00:00:00Z"
        try JSONSerialization.data(withJSONObject: older).write(to: URL(fileURLWithPath: work + "/old.json"))
        let odd = #"say "hi"\n"#
        let bmf = #"{"\#(odd.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")) [n=3]": {"latency": {"value": 2000000}}}"#
        try bmf.write(toFile: work + "/odd.json", atomically: true, encoding: .utf8)
        for file in ["old.json", "odd.json"] {
            let imported = try metron(["import", work + "/" + file, "--store", store])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        // A newer run of "noop": its figures, not the old run's, are the latest.
        try Self.copy(id: "run-new").write(to: URL(fileURLWithPath: work + "/new.json"))
        #expect(try metron(["import", work + "/new.json", "--store", store]).status == 0)
        let server = try Server(["--store", store], token: nil)
        defer { _ = server.stop() }
        let reply = try server.get("/metrics")
        #expect(reply.status == 200 && reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true, "\(reply.headers)")
        let text = reply.text
        try text.write(toFile: work + "/metrics.txt", atomically: true, encoding: .utf8)
        if let promtool = Self.promtool {
            let lint = try run(promtool, ["check", "metrics"], stdin: work + "/metrics.txt")
            #expect(lint.status == 0, "promtool check metrics: \(lint.output)\n\(text)")
        }
        let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            for s in family.samples:
                out.append({"name": s.name, "labels": s.labels, "value": s.value})
        print(json.dumps(out))
        """
        try script.write(toFile: work + "/parse.py", atomically: true, encoding: .utf8)
        let parsed = try run("/usr/bin/env", ["python3", work + "/parse.py", work + "/metrics.txt"])
        try #require(parsed.status == 0, "prometheus_client is needed (pip install prometheus-client): \(parsed.output)")
        let samples = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [[String: Any]])
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            samples.first { $0["name"] as? String == name && ($0["labels"] as? [String: String]).map { l in labels.allSatisfy { l[$0.key] == $0.value } } == true }?["value"] as? Double
        }
        let measured = try #require(try JSONSerialization.jsonObject(with: Self.runJSON) as? [String: Any])
        let wall = try #require(((measured["benchmarks"] as? [[String: Any]])?.first?["metrics"] as? [[String: Any]])?.first { $0["id"] as? String == "wall_time" })
        let mean = try #require((wall["statistics"] as? [String: Any])?["mean"] as? Double)
        #expect(value("metron_wall_time_seconds", ["benchmark": "noop", "statistic": "mean"]).map { abs($0 / mean - 1) < 1e-9 } == true)
        let started = try #require(measured["startedAt"] as? String)
        #expect(value("metron_benchmark_timestamp_seconds", ["benchmark": "noop"]).map { abs($0 - (Timestamp(iso8601: started)?.secondsSinceEpoch ?? 0)) < 1e-3 } == true,
                "the newest run's, not 2020's")
        #expect(value("metron_wall_time_seconds", ["benchmark": odd, "parameters": "n=3", "statistic": "mean"]) == 0.002, "\(text)")
        #expect(value("metron_wall_time_seconds", ["benchmark": odd, "statistic": "p95"]) == nil, "a BMF summary has no p95")
        #expect(value("metron_benchmark_ok", ["benchmark": "noop"]) == 1 && value("metron_info", [:]) == 1)
    }

    /// A helper process's exit status and output (stdout then stderr).
    func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin)) }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A regression whose benchmark has two stored profiles: the dashboard, the HTML report and
    /// the recommendations show what the profiles say.
    @Test func profilesOfARegressionAreShown() throws {
        let work = Binaries.temporaryPath("serve-profiles")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for (index, duration) in ["0.01", "0.05"].enumerated() {
            let exec = try metron(["exec", "--runs", "5", "--save", "-n", "work", Binaries.workload("sleep", duration)], directory: work)
            try #require(exec.status == 0, "\(exec.stderr)")
            if index == 0 { _ = try metron(["baseline", "save", "main"], directory: work) }
        }
        for (stamp, cold) in [("2026-12-01T100000", 30), ("2026-12-02T100000", 70)] {
            let folder = work + "/.metron/profiles/work/" + stamp
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "app;main;hot 70\napp;main;cold \(cold)\n".write(toFile: folder + "/cpu.folded", atomically: true, encoding: .utf8)
            let summary = ProfileSummary(try FoldedStacks.parse(folded: "app;main;hot 70\napp;main;cold \(cold)\n"), name: "work",
                                         command: "work", heapPeakBytes: nil, startedAt: stamp.prefix(10) + "T10:00:00.000Z")
            try JSONEncoder().encode(summary).write(to: URL(fileURLWithPath: folder + "/profile.json"))
        }
        let server = try Server([], token: nil, directory: work)
        let page = try server.get("/")
        #expect(page.status == 200 && page.text.contains("What grew since the previous profile"), "\(page.text.prefix(200))")
        #expect(page.text.contains("Hot path: cold"), "the recommendation names the newest profile's hottest frame (a tie, by name)")
        _ = server.stop()
        let report = try metron(["report", "--output", "r.html"], directory: work)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: work + "/r.html", encoding: .utf8)
        #expect(html.contains("What grew since the previous profile") && html.contains("data:image/svg+xml"))
        let advice = try metron(["recommend"], directory: work)
        #expect(advice.stdout.contains("Hot path: cold"), "\(advice.stdout)")
    }
}
