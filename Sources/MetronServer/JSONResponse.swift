import Foundation
import Hummingbird
import MetronReport

/// JSON bodies in the same encoding as Metron's exports (sorted keys, ISO-8601 times).
enum JSONResponse {
    static func ok<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try JSONExport.encoder().encode(value)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": reason}` with the status, so clients can show the reason.
    static func error(_ status: HTTPResponse.Status, _ reason: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONEncoder().encode(["error": reason])) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data + [0x0A])))
    }
}

/// Query parameters, validated: a bad value is a 400 naming it, not a silent default.
extension Request {
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)  // already percent-decoded
    }

    func intQuery(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw HTTPError(.badRequest, message: "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }
}
