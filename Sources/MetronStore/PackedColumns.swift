import Foundation

/// Columns of numbers in a compact binary form, for the raw samples of stored results.
///
/// A column is `count` numbers whose count the reader already knows. Each is written in the
/// smallest of these forms, chosen by a leading tag byte, and read back bit for bit:
///
/// | tag | form | when |
/// |---|---|---|
/// | 0 | raw IEEE-754 doubles, 8 bytes each, little-endian | always possible |
/// | 1 | zig-zag LEB128 varints | every value an integer of magnitude < 2⁵³ (not −0) |
/// | 2 | the first value, then the differences, as varints | as tag 1; smaller when values are close |
/// | 3 | one raw double | every value has the same bits |
/// | 4 | a varint index of an earlier column | the same bits as that column |
///
/// Counters (faults, context switches, bytes) become one to three bytes a value; times stay
/// eight; a run's wall time is stored once although both its run record and its metric hold it.
enum PackedColumns {
    enum Tag: UInt8 {
        case raw = 0, integers = 1, deltas = 2, constant = 3, reference = 4
    }

    /// Appends `values` in their smallest form; `earlier` are the columns already written that
    /// this one may refer to (by index).
    static func write(_ values: [Double], earlier: [[Double]], to writer: inout ByteWriter) {
        if let first = values.first, values.allSatisfy({ $0.bitPattern == first.bitPattern }) {
            writer.byte(Tag.constant.rawValue)
            writer.double(first)
            return
        }
        if !values.isEmpty, let index = earlier.firstIndex(where: { sameBits($0, values) }) {
            writer.byte(Tag.reference.rawValue)
            writer.varint(UInt64(index))
            return
        }
        if let integers = exactIntegers(values) {
            var plain = ByteWriter(), deltas = ByteWriter()
            var previous: Int64 = 0
            for value in integers {
                plain.signed(value)
                deltas.signed(value - previous)
                previous = value
            }
            if deltas.bytes.count < plain.bytes.count {
                writer.byte(Tag.deltas.rawValue)
                writer.append(deltas.bytes)
            } else {
                writer.byte(Tag.integers.rawValue)
                writer.append(plain.bytes)
            }
            return
        }
        writer.byte(Tag.raw.rawValue)
        for value in values { writer.double(value) }
    }

    /// Reads a column of `count` values written by `write` with the same `earlier` columns.
    static func read(count: Int, earlier: [[Double]], from reader: inout ByteReader) throws -> [Double] {
        guard let tag = Tag(rawValue: try reader.byte()) else { throw ByteReader.Malformed("an unknown column form") }
        switch tag {
        case .raw:
            return try (0..<count).map { _ in try reader.double() }
        case .integers:
            return try (0..<count).map { _ in Double(try reader.signed()) }
        case .deltas:
            var previous: Int64 = 0
            return try (0..<count).map { _ in
                let (sum, overflow) = previous.addingReportingOverflow(try reader.signed())
                guard !overflow else { throw ByteReader.Malformed("a difference out of range") }
                previous = sum
                return Double(sum)
            }
        case .constant:
            let value = try reader.double()
            return Array(repeating: value, count: count)
        case .reference:
            let index = Int(clamping: try reader.varint())
            guard index < earlier.count, earlier[index].count == count else {
                throw ByteReader.Malformed("a reference to a column that is not there")
            }
            return earlier[index]
        }
    }

    /// The values as integers when each converts and back to the same bits.
    static func exactIntegers(_ values: [Double]) -> [Int64]? {
        var integers: [Int64] = []
        integers.reserveCapacity(values.count)
        for value in values {
            guard abs(value) < 9_007_199_254_740_992, let integer = Int64(exactly: value),
                  Double(integer).bitPattern == value.bitPattern else { return nil }
            integers.append(integer)
        }
        return integers
    }

    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// Appends bytes: LEB128 varints, zig-zag signed integers, little-endian doubles.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads what `ByteWriter` wrote; running past the end or a malformed varint is an error, never
/// a crash, since the bytes come from a file that may have been damaged.
struct ByteReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Malformed("the samples end early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw Malformed("a number too long") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func count(atMost limit: Int) throws -> Int {
        let value = try varint()
        guard value <= UInt64(limit) else { throw Malformed("a count of \(value), more than \(limit)") }
        return Int(value)
    }

    mutating func double() throws -> Double {
        guard bytes.count - offset >= 8 else { throw Malformed("the samples end early") }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Double(bitPattern: bits)
    }
}
