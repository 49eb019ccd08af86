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

        init(_ arguments: [String], token: String?) throws {
            process.executableURL = URL(fileURLWithPath: Binaries.metron)
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
    }
}
