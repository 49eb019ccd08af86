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
}
