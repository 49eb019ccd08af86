import Foundation
import Hummingbird
import MetronJSON

/// JSON bodies in the encoding of Metron's exports, without the indentation (API clients parse,
/// they don't read).
enum JSONReply {
    static func ok<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Reply {
        var data = try JSONExport.encoder(pretty: false).encode(value)
        data.append(0x0A)
        return Reply(status: status, contentType: "application/json; charset=utf-8", body: ByteBuffer(bytes: data))
    }

    /// `{"error": reason}` with the status, so clients can show the reason.
    static func error(_ status: HTTPResponse.Status, _ reason: String) -> Reply {
        let data = (try? JSONEncoder().encode(["error": reason])) ?? Data("{}".utf8)
        return Reply(status: status, contentType: "application/json; charset=utf-8", body: ByteBuffer(bytes: data + [0x0A]))
    }
}

extension Reply {
    func with(_ headers: HTTPFields) -> Response {
        var response = self.response
        for field in headers { response.headers.append(field) }
        return response
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
