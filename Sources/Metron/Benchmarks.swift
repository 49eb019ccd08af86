import MetronCore

/// The benchmarks of one executable, in declaration order.
///
/// ```swift
/// var benchmarks = Benchmarks()
/// benchmarks.add("sort", tags: ["core"]) { state in
///     let input = state.setup { (0..<1000).shuffled() }
///     state.measure { blackHole(input.sorted()) }
/// }
/// ```
public struct Benchmarks {
    /// Configuration shared by every benchmark here; each benchmark may override fields.
    public var defaults = BenchmarkConfiguration()
    /// Reported as each result's `suite` (default: the executable's name).
    public var suite: String?
    var declarations: [BenchmarkDeclaration] = []

    public init() {}

    public init(_ build: (inout Benchmarks) -> Void) {
        build(&self)
    }

    /// Declares a benchmark with a synchronous body. The body runs once per benchmark (per
    /// parameter value); everything it does outside `state.measure` is untimed set-up and
    /// tear-down.
    /// - Parameters:
    ///   - baseline: the name of another benchmark this one is compared against: its results
    ///     gain an `overhead` metric, (mean / baseline mean − 1) in percent.
    public mutating func add(
        _ name: String, tags: [String] = [], baseline: String? = nil,
        configuration: BenchmarkConfiguration = BenchmarkConfiguration(),
        _ body: @escaping (BenchmarkState) throws -> Void
    ) {
        declare(name, tags: tags, baseline: baseline, configuration: configuration, parameter: nil, .sync(body))
    }

    /// Declares a benchmark with an asynchronous body (measure it with `await state.measure { … }`).
    public mutating func add(
        _ name: String, tags: [String] = [], baseline: String? = nil,
        configuration: BenchmarkConfiguration = BenchmarkConfiguration(),
        _ body: @escaping (BenchmarkState) async throws -> Void
    ) {
        declare(name, tags: tags, baseline: baseline, configuration: configuration, parameter: nil, .async(body))
    }

    /// Declares one benchmark per value of a numeric parameter (`state.parameter` inside the
    /// body). Each value is measured separately and reported as its own result with
    /// `Parameter(name:value:)`; the runner fits the scan's complexity (O(1) … O(n³)).
    /// Name the parameter `workers`/`threads`/`tasks` for concurrency scans.
    public mutating func add(
        _ name: String, parameter: String, values: [Int], tags: [String] = [], baseline: String? = nil,
        configuration: BenchmarkConfiguration = BenchmarkConfiguration(),
        _ body: @escaping (BenchmarkState) throws -> Void
    ) {
        declare(name, tags: tags, baseline: baseline, configuration: configuration,
                parameter: (parameter, values), .sync(body))
    }

    public mutating func add(
        _ name: String, parameter: String, values: [Int], tags: [String] = [], baseline: String? = nil,
        configuration: BenchmarkConfiguration = BenchmarkConfiguration(),
        _ body: @escaping (BenchmarkState) async throws -> Void
    ) {
        declare(name, tags: tags, baseline: baseline, configuration: configuration,
                parameter: (parameter, values), .async(body))
    }

    private mutating func declare(
        _ name: String, tags: [String], baseline: String?, configuration: BenchmarkConfiguration,
        parameter: (String, [Int])?, _ body: BenchmarkBody
    ) {
        precondition(!declarations.contains { $0.name == name }, "Metron: benchmark '\(name)' is declared twice")
        declarations.append(BenchmarkDeclaration(
            name: name, tags: tags, baseline: baseline, configuration: configuration,
            parameterName: parameter?.0, parameterValues: parameter?.1, body: body))
    }

    /// Every measurable instance: one per benchmark, or one per parameter value.
    var instances: [BenchmarkInstance] {
        declarations.flatMap { declaration -> [BenchmarkInstance] in
            guard let values = declaration.parameterValues else {
                return [BenchmarkInstance(declaration: declaration, parameterValue: nil)]
            }
            return values.map { BenchmarkInstance(declaration: declaration, parameterValue: $0) }
        }
    }
}

enum BenchmarkBody {
    case sync((BenchmarkState) throws -> Void)
    case async((BenchmarkState) async throws -> Void)
}

struct BenchmarkDeclaration {
    var name: String
    var tags: [String]
    var baseline: String?
    var configuration: BenchmarkConfiguration
    var parameterName: String?
    var parameterValues: [Int]?
    var body: BenchmarkBody
}

struct BenchmarkInstance {
    var declaration: BenchmarkDeclaration
    var parameterValue: Int?

    var parameters: [Parameter] {
        guard let name = declaration.parameterName, let value = parameterValue else { return [] }
        return [Parameter(name: name, value: String(value))]
    }

    /// "sort [size=100]": what --filter matches and the child is told to run.
    var key: String { BenchmarkKey.of(name: declaration.name, parameters: parameters) }
}

/// An executable's benchmarks, declared in `register`:
///
/// ```swift
/// @main struct MyBenchmarks: BenchmarkSuite {
///     static func register(_ benchmarks: inout Benchmarks) {
///         benchmarks.add("sort") { state in … }
///     }
/// }
/// ```
/// The provided `main` runs them (see `Benchmarks.main(arguments:)`).
public protocol BenchmarkSuite {
    static func register(_ benchmarks: inout Benchmarks)
}

extension BenchmarkSuite {
    public static func main() {
        var benchmarks = Benchmarks()
        register(&benchmarks)
        benchmarks.main()
    }
}
