import FoundationEssentials
import MetronCore

/// Metron's one JSON convention (docs/schema.md): keys sorted, slashes unescaped, and the numbers
/// JSON cannot spell written as the strings "inf", "-inf" and "nan". Exports, the store's
/// structured columns, the server and the in-process library all encode and decode through here.
public enum JSONExport {
    /// The convention's encoder; `pretty` (the default) indents as exports do, the store keeps
    /// its columns on one line.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The report as JSON, with a final newline; the same text `encoder()` writes (JSONWriter.swift
    /// says why it is not used here).
    public static func render(_ report: RunReport) throws -> Data {
        Data(try bytes(report))
    }

    /// `render` as bytes.
    public static func bytes(_ report: RunReport) throws -> [UInt8] {
        var bytes = try JSONWriter.encode(report)
        bytes.append(0x0A)
        return bytes
    }

    public static func decode(_ data: Data) throws -> RunReport {
        try decoder().decode(RunReport.self, from: data)
    }

    /// A decoding error as one line that names the field by its JSON path
    /// ("bad value at 'benchmarks[2].runs[0].wallTime': …", "missing 'id'").
    public static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON: \(underlying(context))"
                : "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    /// `benchmarks[2].runs[0].wallTime`.
    public static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    /// The parser's own message (with its line and column) when it gave one.
    private static func underlying(_ context: DecodingError.Context) -> String {
        if let error = context.underlyingError { return "\(error)" }
        return context.debugDescription
    }
}
