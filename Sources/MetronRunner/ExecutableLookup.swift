#if canImport(Glibc)
import Glibc
#endif

/// Resolves a program name to an executable path the way execvp does, so that "command not
/// found" is reported once, by name, before any run starts.
public enum ExecutableLookup {
    /// A name with a slash is a path: relative to `directory` when given (where the command
    /// will start), else to Metron's working directory.
    public static func resolve(_ name: String, path: String? = nil, directory: String? = nil) -> String? {
        let path = path ?? getenvString("PATH")
        if name.contains("/") {
            let located = name.hasPrefix("/") || directory == nil ? name : directory! + "/" + name
            return isExecutableFile(located) ? located : nil
        }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let base = directory.isEmpty ? "." : String(directory)
            let candidate = base + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        // access(X_OK) alone succeeds for root on any file; require an execute bit as execve does.
        return (info.st_mode & S_IFMT) == S_IFREG && info.st_mode & 0o111 != 0 && access(path, X_OK) == 0
    }

    /// The running executable (/proc/self/exe, links resolved): what the in-process runner
    /// starts again for each benchmark.
    public static func ownExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The folder of the running executable: where the executables installed beside it are
    /// (metron-spawner).
    public static func ownDirectory() -> String? {
        guard let executable = ownExecutable(), let slash = executable.lastIndex(of: "/") else { return nil }
        return slash == executable.startIndex ? "/" : String(executable[..<slash])
    }
}

func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
