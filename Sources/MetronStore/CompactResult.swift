import Foundation
import MetronCore
import MetronJSON

/// How a benchmark result is stored: a small JSON record without raw numbers, and the raw
/// numbers packed in binary (`PackedColumns`), each once.
///
/// A result as measured holds its numbers twice — every run's record (`runs[]`) and every
/// metric's samples — and statistics that follow from the samples. Stored, the samples are
/// packed; a run field that equals a metric's samples refers to it; the statistics are left out
/// when recomputing them from the samples gives the same bits (only the bootstrap intervals,
/// which are random resamples, are kept). Anything that does not fit — statistics from another
/// tool, an integer beyond 2⁵³ — is kept in the JSON record as it was, so the stored result
/// always reads back equal to what was saved.
public enum CompactResult {
    /// The samples' format, the first byte of the packed form.
    static let format: UInt8 = 2

    /// The record and the packed samples of `result`.
    public static func split(_ result: BenchmarkResult) throws -> (record: Data, samples: Data) {
        try split(result, format: format)
    }

    /// `split` in an earlier `format` (tests read what earlier builds wrote).
    static func split(_ result: BenchmarkResult, format: UInt8) throws -> (record: Data, samples: Data) {
        var writer = ByteWriter()
        writer.byte(format)
        writer.varint(UInt64(result.metrics.count))
        var columns: [[Double]] = []
        var headers: [Header] = []
        for metric in result.metrics {
            writer.varint(UInt64(metric.samples.count))
            PackedColumns.write(metric.samples, earlier: columns, to: &writer)
            columns.append(metric.samples)
            let implicit = recomputable(metric)
            headers.append(Header(id: metric.id, unit: metric.unit, polarity: metric.polarity,
                                  deterministic: metric.deterministic, statistics: implicit ? nil : metric.statistics))
            let intervals = implicit ? [metric.statistics.meanCI, metric.statistics.medianCI] : [nil, nil]
            writer.byte((intervals[0] == nil ? 0 : 1) | (intervals[1] == nil ? 0 : 2))
            for interval in intervals.compactMap({ $0 }) {
                writer.double(interval.level)
                writer.double(interval.lower)
                writer.double(interval.upper)
            }
        }
        var runs: [CommandRun] = []
        if result.runs.isEmpty {
            writer.varint(0)
        } else if let packed = RunColumns.pack(result.runs, metrics: columns, format: format) {
            writer.varint(UInt64(result.runs.count))
            writer.append(packed)
        } else {
            // A counter beyond what a double holds exactly: the runs stay in the JSON record.
            writer.varint(0)
            runs = result.runs
        }
        var stripped = result
        stripped.metrics = []
        stripped.runs = runs
        let record = try RecordCoding.encode(Record(result: stripped, metrics: headers))
        return (record, Data(writer.bytes))
    }

    /// The result stored as `record` and `samples`.
    public static func join(record: Data, samples: Data) throws -> BenchmarkResult {
        let stored = try JSONExport.decoder().decode(Record.self, from: record)
        var reader = ByteReader(samples)
        let version = try reader.byte()
        guard (1...format).contains(version) else { throw ByteReader.Malformed("samples in an unknown format") }
        guard try reader.count(atMost: 1 << 20) == stored.metrics.count else {
            throw ByteReader.Malformed("a different number of metrics in the record and the samples")
        }
        var result = stored.result
        var columns: [[Double]] = []
        for header in stored.metrics {
            let count = try reader.count(atMost: 1 << 28)
            let samples = try PackedColumns.read(count: count, earlier: columns, from: &reader)
            columns.append(samples)
            let flags = try reader.byte()
            let meanCI = flags & 1 == 0 ? nil : try interval(&reader)
            let medianCI = flags & 2 == 0 ? nil : try interval(&reader)
            let statistics: Statistics
            if let explicit = header.statistics {
                statistics = explicit
            } else {
                guard !samples.isEmpty else { throw ByteReader.Malformed("statistics of no samples") }
                var computed = Statistics(samples: samples, bootstrap: nil)
                computed.meanCI = meanCI
                computed.medianCI = medianCI
                statistics = computed
            }
            result.metrics.append(Metric(id: header.id, unit: header.unit, statistics: statistics, samples: samples,
                                         polarity: header.polarity, deterministic: header.deterministic))
        }
        let runCount = try reader.count(atMost: 1 << 28)
        if runCount > 0 {
            result.runs = try RunColumns.unpack(count: runCount, metrics: columns, format: version, from: &reader)
        }
        guard reader.isAtEnd else { throw ByteReader.Malformed("bytes after the samples") }
        return result
    }

    /// The statistics follow from the samples: recomputed without the bootstrap, they have the
    /// same bits (an imported summary, or figures from an older Metron, may not).
    static func recomputable(_ metric: Metric) -> Bool {
        let stored = metric.statistics
        guard !metric.samples.isEmpty, stored.bounds == nil else { return false }
        let computed = Statistics(samples: metric.samples, bootstrap: nil)
        let pairs: [(Double, Double)] = [
            (computed.mean, stored.mean), (computed.median, stored.median), (computed.stddev, stored.stddev),
            (computed.min, stored.min), (computed.max, stored.max), (computed.mad, stored.mad), (computed.iqr, stored.iqr),
            (computed.coefficientOfVariation, stored.coefficientOfVariation),
            (computed.percentiles.p25, stored.percentiles.p25), (computed.percentiles.p50, stored.percentiles.p50),
            (computed.percentiles.p75, stored.percentiles.p75), (computed.percentiles.p90, stored.percentiles.p90),
            (computed.percentiles.p95, stored.percentiles.p95), (computed.percentiles.p99, stored.percentiles.p99),
            (computed.percentiles.p999, stored.percentiles.p999),
        ]
        return computed.count == stored.count && computed.outliers == stored.outliers
            && pairs.allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    private static func interval(_ reader: inout ByteReader) throws -> ConfidenceInterval {
        ConfidenceInterval(level: try reader.double(), lower: try reader.double(), upper: try reader.double())
    }

    /// The JSON part: the result without metrics and runs, and each metric without its samples
    /// (and without statistics that follow from them).
    struct Record: Codable {
        var result: BenchmarkResult
        var metrics: [Header]
    }

    struct Header: Codable {
        var id: MetricID
        var unit: MetricUnit
        var polarity: Polarity?
        var deterministic: Bool?
        var statistics: Statistics?
    }
}

/// A command benchmark's run records as one packed column per field, in `fields` order.
enum RunColumns {
    /// One field of `CommandRun` as an optional double, and back (nil when the value cannot be
    /// the field's).
    struct Field {
        var get: (CommandRun) -> Double?
        var set: (inout CommandRun, Double?) -> Bool
        /// The value converts to a double exactly (an integer beyond 2⁵³ may not).
        var fits: (CommandRun) -> Bool = { _ in true }
    }

    static func required(_ path: WritableKeyPath<CommandRun, Double>) -> Field {
        Field(get: { $0[keyPath: path] }, set: { run, value in
            guard let value else { return false }
            run[keyPath: path] = value
            return true
        })
    }

    static func required<I: FixedWidthInteger>(_ path: WritableKeyPath<CommandRun, I>) -> Field {
        Field(get: { Double($0[keyPath: path]) }, set: { run, value in
            guard let value, let integer = I(exactly: value) else { return false }
            run[keyPath: path] = integer
            return true
        }, fits: { Double(exactly: $0[keyPath: path]) != nil })
    }

    static func optional<I: FixedWidthInteger>(_ path: WritableKeyPath<CommandRun, I?>) -> Field {
        Field(get: { $0[keyPath: path].map { Double($0) } }, set: { run, value in
            guard let value else { run[keyPath: path] = nil; return true }
            guard let integer = I(exactly: value) else { return false }
            run[keyPath: path] = integer
            return true
        }, fits: { $0[keyPath: path].map { Double(exactly: $0) != nil } ?? true })
    }

    /// Every stored property of `CommandRun` (a test checks that none is missing), as written in
    /// `CompactResult.format`. A field is only ever appended, together with a new format, and
    /// samples of an earlier format have the fields of theirs (format 1: up to `round`).
    static func fields(format: UInt8 = CompactResult.format) -> [Field] {
        let all = [
        required(\.wallTime), required(\.userTime), required(\.systemTime), required(\.peakRSS),
        optional(\.peakRSSTree), optional(\.readBytes), optional(\.writeBytes), optional(\.readChars),
        optional(\.writeChars), required(\.voluntaryContextSwitches), required(\.involuntaryContextSwitches),
        required(\.minorPageFaults), required(\.majorPageFaults), optional(\.exitCode), optional(\.signal),
        Field(get: { $0.timedOut ? 1 : 0 }, set: { run, value in
            guard value == 0 || value == 1 else { return false }
            run.timedOut = value == 1
            return true
        }),
        optional(\.round),
        optional(\.instructions), optional(\.cycles),
        ]
        return format == 1 ? Array(all.prefix(17)) : all
    }

    /// The packed columns, or nil when a value does not survive the trip through a double.
    static func pack(_ runs: [CommandRun], metrics: [[Double]], format: UInt8 = CompactResult.format) -> [UInt8]? {
        var writer = ByteWriter()
        var columns = metrics
        for field in fields(format: format) {
            guard runs.allSatisfy(field.fits) else { return nil }
            let values = runs.map(field.get)
            let present = values.compactMap { $0 }
            if present.count == values.count {
                writer.byte(0)
            } else if present.isEmpty {
                writer.byte(1)
            } else {
                writer.byte(2)
                var bits = [UInt8](repeating: 0, count: (values.count + 7) / 8)
                for (index, value) in values.enumerated() where value != nil { bits[index / 8] |= 1 << UInt8(index % 8) }
                writer.append(bits)
            }
            if !present.isEmpty {
                PackedColumns.write(present, earlier: columns, to: &writer)
                columns.append(present)
            }
        }
        return writer.bytes
    }

    static func unpack(count: Int, metrics: [[Double]], format: UInt8 = CompactResult.format,
                       from reader: inout ByteReader) throws -> [CommandRun] {
        var runs = Array(repeating: CommandRun(wallTime: 0, userTime: 0, systemTime: 0, peakRSS: 0), count: count)
        var columns = metrics
        for field in fields(format: format) {
            var presence = [Bool](repeating: true, count: count)
            switch try reader.byte() {
            case 0: break
            case 1: presence = [Bool](repeating: false, count: count)
            case 2:
                var bits: [UInt8] = []
                for _ in 0..<(count + 7) / 8 { bits.append(try reader.byte()) }
                presence = (0..<count).map { bits[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
            default: throw ByteReader.Malformed("an unknown presence form")
            }
            let present = presence.filter { $0 }.count
            var values: [Double] = []
            if present > 0 {
                values = try PackedColumns.read(count: present, earlier: columns, from: &reader)
                columns.append(values)
            }
            var next = values.makeIterator()
            for index in 0..<count {
                guard field.set(&runs[index], presence[index] ? next.next() : nil) else {
                    throw ByteReader.Malformed("a run value that does not fit its field")
                }
            }
        }
        return runs
    }
}
