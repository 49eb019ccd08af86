import Foundation
import MetronCore
import MetronImport
import MetronJSON
import MetronSuite

/// What each fuzz target feeds its input to, and what must hold whatever the input: no crash,
/// no hang, and a failure that is the documented error with its place. A broken promise is a
/// `Violation`, which the fuzzer reports as a crash and the replay as a failed input.
enum FuzzTargets {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    static let names = ["suite", "import", "report"]

    static func run(_ target: String, _ data: Data) throws {
        switch target {
        case "suite": try suite(data)
        case "import": try importer(data)
        case "report": try report(data)
        default: throw Violation(description: "unknown target '\(target)'; targets: \(names.joined(separator: ", "))")
        }
    }

    /// metron.yml: parsed, or refused with `file:line:column: message`.
    static func suite(_ data: Data) throws {
        let text = String(decoding: data, as: UTF8.self)
        do {
            _ = try SuiteParser.parse(text, path: "metron.yml")
        } catch let error as SuiteFileError {
            guard error.line >= 1, error.column >= 1, !error.message.isEmpty else {
                throw Violation(description: "a suite error without a place or a message: \(error)")
            }
        } catch {
            throw Violation(description: "metron.yml refused with an error that is not a SuiteFileError: \(type(of: error)): \(error)")
        }
    }

    /// Every importer: the first byte picks the format (the rest is the file), byte 0 lets the
    /// content tell it as `metron import` does. An import either fails with its ImportFailure
    /// (typed, so nothing else can escape) or gives a report that Metron can write and read back.
    static func importer(_ data: Data) throws {
        guard let selector = data.first else { return }
        let body = Data(data.dropFirst())
        let formats = PeerFormat.allCases.filter { $0 != .metron }
        let format = selector == 0 ? PeerFormat.detect(body) : formats[Int(selector) % formats.count]
        let context = ImportContext(file: "input", machine: nil, git: nil, modified: Timestamp(secondsSinceEpoch: 1_764_000_000))
        let converted: RunReport
        do {
            switch format {
            case nil, .metron?: return
            case .hyperfine?: converted = try HyperfineImport.convert(body, context: context)
            case .pytestBenchmark?: converted = try PytestBenchmarkImport.convert(body, context: context)
            case .googleBenchmark?: converted = try GoogleBenchmarkImport.convert(body, context: context)
            case .go?: converted = try GoBenchImport.convert(body, context: context)
            case .jmh?: converted = try JMHImport.convert(body, context: context)
            case .bmf?: converted = try BMFImport.convert(body, context: context)
            case .customSmallerIsBetter?: converted = try CustomBenchmarkImport.convert(body, context: context)
            case .customBiggerIsBetter?: converted = try CustomBenchmarkImport.convert(body, context: context, polarity: .higherIsBetter)
            case .criterion?:
                converted = try CriterionImport.convert([("b/new/benchmark.json", body), ("b/new/sample.json", body)], context: context)
            }
        } catch {
            if error.description.isEmpty { throw Violation(description: "an import failure without a message") }
            return
        }
        try roundTrip(converted, what: "the imported report")
    }

    /// A run report as `metron import` and the server's upload read it: refused with the JSON
    /// path, or admitted and stored as it reads back.
    static func report(_ data: Data) throws {
        let decoded: RunReport
        do {
            decoded = try JSONExport.decode(data)
        } catch {
            if JSONExport.describe(error).isEmpty { throw Violation(description: "a decoding error without a message") }
            return
        }
        if RunAdmission.problem(with: decoded, now: Timestamp(secondsSinceEpoch: 1_764_000_000)) != nil { return }
        try roundTrip(decoded, what: "an admitted report")
    }

    /// What is stored must read back as it was: written with Metron's JSON convention, decoded,
    /// written again, byte for byte the same (NaN compares unequal to itself, bytes do not).
    static func roundTrip(_ report: RunReport, what: String) throws {
        let first: [UInt8]
        do {
            first = try JSONExport.bytes(report)
        } catch {
            throw Violation(description: "\(what) cannot be written as JSON: \(error)")
        }
        let again: RunReport
        do {
            again = try JSONExport.decode(Data(first))
        } catch {
            throw Violation(description: "\(what) does not read back: \(JSONExport.describe(error))")
        }
        guard (try? JSONExport.bytes(again)) == first else {
            throw Violation(description: "\(what) reads back different from what was written")
        }
    }
}
