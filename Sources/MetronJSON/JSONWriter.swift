/// Encodes an `Encodable` value as pretty-printed JSON with sorted keys: the text Foundation's
/// `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` and
/// non-finite numbers as "inf"/"-inf"/"nan" (JSONWriterTests checks it byte for byte).
///
/// Why not JSONEncoder itself: `metron exec --export-json` writes a whole run at the end, and
/// JSONEncoder asks the Swift runtime, for every type it meets, whether the type conforms to
/// several of Foundation's marker protocols. Each first-time answer is a linear scan of the
/// binary's ~10,000 protocol-conformance records, so exporting 200 runs took ~5 ms, most of it
/// before the first byte, once per process. This encoder only compares concrete types.
public enum JSONWriter {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let node = try TreeEncoder.node(for: value, codingPath: [])
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16)
        write(node, level: 0, into: &output)
        return output
    }

    private static func write(_ node: JSONNode, level: Int, into output: inout [UInt8]) {
        switch node {
        case .literal(let text):
            output += text.utf8
        case .string(let text):
            writeString(text, into: &output)
        case .array(let box):
            output.append(UInt8(ascii: "["))
            output.append(UInt8(ascii: "\n"))
            if box.items.isEmpty { output.append(UInt8(ascii: "\n")) }
            for (index, item) in box.items.enumerated() {
                indent(level + 1, into: &output)
                write(item, level: level + 1, into: &output)
                if index < box.items.count - 1 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\n"))
            }
            indent(level, into: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let box):
            output.append(UInt8(ascii: "{"))
            output.append(UInt8(ascii: "\n"))
            if box.keys.isEmpty { output.append(UInt8(ascii: "\n")) }
            let order = sortedOrder(box.keys)
            for (index, entry) in order.enumerated() {
                indent(level + 1, into: &output)
                writeString(box.keys[entry], into: &output)
                output += " : ".utf8
                write(box.values[entry], level: level + 1, into: &output)
                if index < order.count - 1 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\n"))
            }
            indent(level, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The entries' indices in key order, each key once (its last value).
    private static func sortedOrder(_ keys: [String]) -> [Int] {
        var order = Array(keys.indices)
        // Insertion sort: a dozen keys, usually encoded nearly in order already.
        for i in 1..<max(order.count, 1) {
            let item = order[i]
            var j = i
            while j > 0, keys[item] < keys[order[j - 1]] {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = item
        }
        // Equal keys are adjacent and in encoding order; the last one wins.
        var unique: [Int] = []
        unique.reserveCapacity(order.count)
        for (position, entry) in order.enumerated()
        where position == order.count - 1 || keys[order[position + 1]] != keys[entry] {
            unique.append(entry)
        }
        return unique
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private static func indent(_ level: Int, into output: inout [UInt8]) {
        var remaining = level * 2
        while remaining > 0 {
            let chunk = min(remaining, spaces.count)
            output.append(contentsOf: spaces[..<chunk])
            remaining -= chunk
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings (every key) need no escape: copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(contentsOf: text.utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += "\\\"".utf8
            case UInt8(ascii: "\\"): output += "\\\\".utf8
            case 0x08: output += "\\b".utf8
            case 0x0C: output += "\\f".utf8
            case 0x0A: output += "\\n".utf8
            case 0x0D: output += "\\r".utf8
            case 0x09: output += "\\t".utf8
            case 0..<0x20:
                output += "\\u00".utf8
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A number in JSONEncoder's spelling: the shortest text that reads back as the same value,
    /// without a trailing ".0"; non-finite values as Metron's strings.
    static func literal<Number: BinaryFloatingPoint & CustomStringConvertible>(_ value: Number) -> JSONNode {
        if value.isNaN { return .string("nan") }
        if value.isInfinite { return .string(value < 0 ? "-inf" : "inf") }
        // Whole numbers (byte counts, page faults: most numbers of a run) as integers: what
        // dropping ".0" from the description gives, below 1e15 where descriptions turn to
        // exponents, without building and trimming the description. Not -0, whose text is "-0".
        if Number.self == Double.self, value == value.rounded(.towardZero), value.magnitude < 1e15,
           !(value == 0 && value.sign == .minus) {
            return .literal(String(Int64(value)))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .literal(text)
    }
}

enum JSONNode {
    /// A number, `true`, `false` or `null`, already in its JSON spelling.
    case literal(String)
    case string(String)
    case array(ArrayBox)
    case object(ObjectBox)
}

/// Containers hand out references, so that a nested container fills its part after the fact.
final class ArrayBox {
    var items: [JSONNode] = []
}

/// Entries in the order they were encoded; sorted when written. No dictionary: hashing every
/// key of every object was a third of the export's time, and objects hold a dozen keys.
final class ObjectBox {
    var keys: [String] = []
    var values: [JSONNode] = []

    /// A key encoded again replaces its value, as with JSONEncoder (written once, last wins).
    func set(_ key: String, _ node: JSONNode) {
        keys.append(key)
        values.append(node)
    }
}

private final class TreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var root: JSONNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// The node for any value; the common scalar types without a round through `encode(to:)`.
    static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> JSONNode {
        if T.self == Double.self { return JSONWriter.literal(value as! Double) }
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .literal(String(value as! Int)) }
        if T.self == Int64.self { return .literal(String(value as! Int64)) }
        if T.self == Int32.self { return .literal(String(value as! Int32)) }
        if T.self == UInt64.self { return .literal(String(value as! UInt64)) }
        if T.self == Bool.self { return .literal((value as! Bool) ? "true" : "false") }
        let encoder = TreeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        // A value that encodes nothing is an empty object, as with JSONEncoder.
        return encoder.root ?? .object(ObjectBox())
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing)? = root {
            box = existing
        } else {
            box = ObjectBox()
            root = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing)? = root {
            box = existing
        } else {
            box = ArrayBox()
            root = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(intValue!)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .literal("null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .literal(value ? "true" : "false")) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.set(key.stringValue, JSONWriter.literal(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { box.set(key.stringValue, JSONWriter.literal(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.set(key.stringValue, .literal(String(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try TreeEncoder.node(for: value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.set(key.stringValue, .array(nested))
        return UnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        SuperEncoder(codingPath: codingPath) { [box] node in box.set("super", node) }
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SuperEncoder(codingPath: codingPath + [key]) { [box] node in box.set(key.stringValue, node) }
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.literal("null")) }
    mutating func encode(_ value: Bool) throws { box.items.append(.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(JSONWriter.literal(value)) }
    mutating func encode(_ value: Float) throws { box.items.append(JSONWriter.literal(value)) }
    mutating func encode(_ value: Int) throws { box.items.append(.literal(String(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.literal(String(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.literal(String(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.literal(String(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try TreeEncoder.node(for: value, codingPath: codingPath + [IndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        let path = codingPath + [IndexKey(count)]
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let path = codingPath + [IndexKey(count)]
        box.items.append(.array(nested))
        return UnkeyedContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let index = box.items.count
        box.items.append(.object(ObjectBox()))
        return SuperEncoder(codingPath: codingPath + [IndexKey(index)]) { [box] node in box.items[index] = node }
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.root = .literal("null") }
    func encode(_ value: Bool) throws { encoder.root = .literal(value ? "true" : "false") }
    func encode(_ value: String) throws { encoder.root = .string(value) }
    func encode(_ value: Double) throws { encoder.root = JSONWriter.literal(value) }
    func encode(_ value: Float) throws { encoder.root = JSONWriter.literal(value) }
    func encode(_ value: Int) throws { encoder.root = .literal(String(value)) }
    func encode(_ value: Int32) throws { encoder.root = .literal(String(value)) }
    func encode(_ value: Int64) throws { encoder.root = .literal(String(value)) }
    func encode(_ value: UInt64) throws { encoder.root = .literal(String(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        encoder.root = try TreeEncoder.node(for: value, codingPath: codingPath)
    }
}

/// The encoder a `superEncoder()` call returns: whatever is encoded into it lands where the
/// container reserved it, when the encoder is released.
private final class SuperEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let inner: TreeEncoder
    private let store: (JSONNode) -> Void

    init(codingPath: [any CodingKey], store: @escaping (JSONNode) -> Void) {
        self.codingPath = codingPath
        self.inner = TreeEncoder(codingPath: codingPath)
        self.store = store
    }

    deinit { store(inner.root ?? .object(ObjectBox())) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
