import Foundation
import MetronCore
import MetronJSON

/// JSON for the columns that hold structured values (a benchmark's full result, the machine).
enum RecordCoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONExport.encoder(pretty: false).encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONExport.decoder().decode(type, from: data)
        } catch {
            throw StoreError.corruptRecord("\(what): \(error)")
        }
    }

    /// A stored benchmark: its compact record and packed samples (`CompactResult`), or — with no
    /// samples — a whole result as JSON, as stores kept them before the samples were packed.
    static func decodeResult(record: Data, samples: Data?, what: String) throws -> BenchmarkResult {
        guard let samples else { return try decode(BenchmarkResult.self, from: record, what: what) }
        do {
            return try CompactResult.join(record: record, samples: samples)
        } catch {
            throw StoreError.corruptRecord("\(what): \(error)")
        }
    }

    /// A row written before samples were packed, in the packed form (both stores' migrations).
    static func repack(wholeJSON: Data, what: String) throws -> (record: Data, samples: Data) {
        try CompactResult.split(decode(BenchmarkResult.self, from: wholeJSON, what: what))
    }

    /// Decodes many records on every core: `compare` loads two runs of up to 1,000 benchmarks.
    static func decodeResults(_ blobs: [(record: Data, samples: Data?)], what: String) throws -> [BenchmarkResult] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, blobs.count / 32)
        guard workers > 1 else { return try blobs.map { try decodeResult(record: $0.record, samples: $0.samples, what: what) } }
        let slots = DecodeSlots(count: blobs.count)
        defer { slots.release() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < blobs.count {
                slots.buffer[index] = Result { try decodeResult(record: blobs[index].record, samples: blobs[index].samples, what: what) }
                index += workers
            }
        }
        return try slots.buffer.map { try $0!.get() }
    }
}

/// Raw storage, because workers writing distinct elements of one Swift array through a shared
/// reference would trip the runtime's exclusivity checks; each worker writes only its own indices.
private final class DecodeSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Result<BenchmarkResult, any Error>?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    func release() {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}

/// The row values of one benchmark, shared by both stores.
struct BenchmarkRow {
    var position: Int
    var name: String
    var parametersKey: String
    var suite: String?
    var kind: String
    var status: String
    var count: Int
    var mean: Double?
    var median: Double?
    var stddev: Double?
    var p95: Double?
    var p99: Double?
    var min: Double?
    var max: Double?
    /// `CompactResult`'s two parts.
    var record: Data
    var samples: Data

    init(position: Int, result: BenchmarkResult) throws {
        self.position = position
        name = result.name
        parametersKey = MetronStore.parametersKey(result.parameters)
        suite = result.suite
        kind = result.kind.rawValue
        status = result.status.rawValue
        let wall = result.wallTime
        count = wall?.count ?? 0
        mean = wall?.mean.finiteValue
        median = wall?.median.finiteValue
        stddev = wall?.stddev.finiteValue
        p95 = wall?.percentiles.p95.finiteValue
        p99 = wall?.percentiles.p99.finiteValue
        min = wall?.min.finiteValue
        max = wall?.max.finiteValue
        (record, samples) = try CompactResult.split(result)
    }
}

/// Metron's SQLite `application_id` ("MTRN"), so a foreign database is recognised as such.
let metronApplicationID: Int32 = 0x4D54_524E
