import Foundation
import PackagePlugin

/// `swift package metron [--target T]… [--save] [--store LOCATION] [runner options]`:
/// builds the package's benchmark executables (executable targets under `Benchmarks/`) in release
/// mode through SwiftPM's plugin API, then hands the built executables to the `metron` tool
/// (`metron run --benchmark-executable NAME=PATH …`), which runs each (every benchmark in its own
/// child process), prints them, and with `--save` stores them as one run. Other options go to the
/// benchmark executables.
///
/// On macOS, where plugins run sandboxed, storing in the package's `.metron/` needs
/// `swift package --disable-sandbox metron --save`; Linux has no plugin sandbox.
@main
struct MetronCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let only = extractor.extractOption(named: "target")
        let save = extractor.extractFlag(named: "save") > 0
        let store = extractor.extractOption(named: "store").last
        let passThrough = extractor.remainingArguments

        let benchmarksDirectory = context.package.directoryURL.appending(path: "Benchmarks").standardizedFileURL.path
        var targets = context.package.targets.compactMap { $0 as? SwiftSourceModuleTarget }.filter {
            $0.kind == .executable && $0.directoryURL.standardizedFileURL.path.hasPrefix(benchmarksDirectory + "/")
        }.sorted { $0.name < $1.name }
        if !only.isEmpty {
            let unknown = only.filter { name in !targets.contains { $0.name == name } }
            guard unknown.isEmpty else {
                throw PluginFailure("no benchmark target \(unknown.joined(separator: ", ")) under Benchmarks/ (found: \(targets.map(\.name).joined(separator: ", ")))")
            }
            targets = targets.filter { only.contains($0.name) }
        }
        guard !targets.isEmpty else { throw PluginFailure("no executable targets under Benchmarks/: put each benchmark executable in Benchmarks/NAME/") }

        var built: [String] = []
        var failed = false
        for target in targets {
            print("==> \(target.name): building (release)")
            let build = try packageManager.build(.product(target.name), parameters: .init(configuration: .release, logging: .concise))
            guard build.succeeded, let executable = build.builtArtifacts.first(where: { $0.kind == .executable }) else {
                print(build.logText)
                Diagnostics.error("\(target.name) did not build")
                failed = true
                continue
            }
            built.append("\(target.name)=\(executable.url.path)")
        }

        if !built.isEmpty {
            let metron = try context.tool(named: "MetronCLI")  // the tool is named after its target
            var arguments = ["run"] + built.flatMap { ["--benchmark-executable", $0] } + [save ? "--save" : "--no-save"]
            if let store { arguments += ["--store", store] }
            if !passThrough.isEmpty { arguments += ["--"] + passThrough }
            // The default store is .metron/ of the package, wherever `swift package` was started.
            guard FileManager.default.changeCurrentDirectoryPath(context.package.directoryURL.path) else {
                throw PluginFailure("cannot enter \(context.package.directoryURL.path)")
            }
            if try run(metron.url, arguments) != 0 { failed = true }
        }
        if failed { throw PluginFailure("some benchmarks failed (above)") }
    }

    func run(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
