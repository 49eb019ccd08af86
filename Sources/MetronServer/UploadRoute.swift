import Foundation
import Hummingbird
import MetronCore
import MetronJSON
import MetronReport
import MetronStore
import NIOCore

extension MetronServer {
    /// `POST /api/runs`: a CI machine uploads a run report (Metron's JSON schema). The whole body
    /// is read and validated before the store sees it, and the store saves a run in one
    /// transaction, so a rejected or failed upload leaves nothing behind.
    func upload(_ request: Request) async throws -> Response {
        guard let token = configuration.token else {
            return JSONReply.error(.forbidden, "uploads are disabled: start metron serve with METRON_TOKEN set").response
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]) else {
            return JSONReply.error(.unauthorized, "an Authorization: Bearer <token> header is required")
                .with([.wwwAuthenticate: "Bearer realm=\"metron\""])
        }
        guard Self.constantTimeEqual(presented, token) else {
            return JSONReply.error(.unauthorized, "wrong token").with([.wwwAuthenticate: "Bearer realm=\"metron\", error=\"invalid_token\""])
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        } catch is NIOTooManyBytesError {
            return JSONReply.error(.contentTooLarge, "the body exceeds the upload limit of \(configuration.maxUploadBytes) bytes").response
        }
        let report: RunReport
        do {
            report = try JSONExport.decode(Data(buffer: body))
        } catch {
            return JSONReply.error(.badRequest, "not a Metron run report: \(JSONExport.describe(error))").response
        }
        if let problem = RunAdmission.problem(with: report, now: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)) {
            return JSONReply.error(.badRequest, problem).response
        }
        if try await store.containsRun(id: report.id) {
            return JSONReply.error(.conflict, "run \(report.id) is already stored").response
        }
        do {
            try await store.save(report)
        } catch StoreError.alreadyStored {
            return JSONReply.error(.conflict, "run \(report.id) is already stored").response
        }
        struct Created: Encodable { var id: String; var benchmarks: Int; var url: String }
        return try JSONReply.ok(Created(id: report.id, benchmarks: report.benchmarks.count, url: "/api/runs/\(report.id)"),
                                   status: .created).response
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Compares without leaking how many leading bytes matched through the response time.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }

    /// DecodingError's description names the path of the bad field.
}
