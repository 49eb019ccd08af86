import Glibc
import MetronExec
import MetronRunner

/// Which command lines the front binary runs itself, and the hand-over of all others to the full
/// CLI. Handing over is always correct (the full CLI does everything, `exec` included), so when
/// in doubt the front hands over.
enum FrontDispatch {
    /// The full CLI's file name; it sits next to `metron` (SwiftPM builds both into one folder).
    static let fullName = "metron-full"

    /// `exec` without a word that needs the full CLI: `--save`/`--store` (the store module), help
    /// (its text lists every subcommand's options, `--save` included). An option's value that
    /// happens to spell one of these only costs a hand-over.
    static func runsItself(_ arguments: [String]) -> Bool {
        guard arguments.first == "exec" else { return false }
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            if argument == "--save" || argument == "--store" || argument.hasPrefix("--store=")
                || argument == "-h" || argument == "--help" || argument == "--experimental-dump-help" {
                return false
            }
        }
        return true
    }

    /// Replaces this process with the full CLI, same arguments and environment; returns only to
    /// exit with an error when it cannot.
    static func handOver(_ commandLine: [String]) -> Never {
        guard let directory = ExecutableLookup.ownDirectory() else {
            printError("cannot find the metron executable's own path (/proc/self/exe)")
            exit(ExitStatus.failure)
        }
        let path = directory + "/" + fullName
        var argv: [UnsafeMutablePointer<CChar>?] = commandLine.map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        printError("cannot run \(path) (\(reason)): this command line needs the full metron CLI, \(fullName), installed "
                   + "next to metron (metron itself runs only 'exec' without --save, --store and --help)")
        exit(ExitStatus.failure)
    }
}
