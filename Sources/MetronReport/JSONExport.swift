import FoundationEssentials
import MetronCore

/// Metron's result schema (docs/schema.md) as JSON.
public enum JSONExport {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
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
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(RunReport.self, from: data)
    }
}
