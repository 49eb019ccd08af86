import Hummingbird
import NIOCore

/// A reply whose bytes can be kept and sent again.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: ByteBuffer

    var response: Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
    }
}

/// Answers of read requests, valid while the store's revision stays the same. Stored runs never
/// change, so a revision moves only when a run or baseline is saved — by this server or by any
/// other process writing the store — and one cheap query per request tells.
actor ResponseCache {
    private var revision: String?
    private var entries: [String: Reply] = [:]
    private var bytes = 0
    let limit: Int

    init(limitBytes: Int = 64 << 20) { limit = limitBytes }

    func reply(for key: String, at revision: String) -> Reply? {
        guard revision == self.revision else { return nil }
        return entries[key]
    }

    func store(_ reply: Reply, for key: String, at revision: String) {
        if revision != self.revision || bytes + reply.body.readableBytes > limit {
            entries.removeAll(keepingCapacity: true)
            bytes = 0
            self.revision = revision
        }
        guard reply.body.readableBytes <= limit else { return }
        entries[key] = reply
        bytes += reply.body.readableBytes
    }
}
