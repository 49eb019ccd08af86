/// How `metron serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The bearer token uploads must carry; without one, uploads are refused (403).
    public var token: String?
    /// The largest run JSON accepted by `POST /api/runs` (bytes); larger bodies get 413.
    public var maxUploadBytes: Int
    /// Budgets and bands the dashboard judges runs by (from the suite file, if any).
    public var budgets: [String: [Budget]]
    public var bands: RegressionBands
    /// The baseline the dashboard compares the latest run with.
    public var baselineName: String
    /// Earlier runs the dashboard's history charts span.
    public var historyRuns: Int
    /// The newest stored profile by benchmark key, and the differential flame graphs of the given
    /// keys (`metron profile`'s folder, read by the CLI); read when the dashboard is rendered.
    public var profiles: @Sendable () -> [String: ProfileSummary] = { [:] }
    public var profileDiffs: @Sendable (Set<String>) -> [String: String] = { _ in [:] }

    public init(host: String = "127.0.0.1", port: Int = 8050, token: String? = nil, maxUploadBytes: Int = 64 << 20,
                budgets: [String: [Budget]] = [:], bands: RegressionBands = RegressionBands(), baselineName: String = "main",
                historyRuns: Int = 30) {
        self.host = host
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.maxUploadBytes = maxUploadBytes
        self.budgets = budgets
        self.bands = bands
        self.baselineName = baselineName
        self.historyRuns = historyRuns
    }

    /// The shortest token accepted for a reachable address: 16 characters, 2^64 and more guesses
    /// of random hex.
    public static let minimumTokenLength = 16

    /// Loopback addresses only this machine can reach.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Refuses what would expose the store: a reachable address without a token.
    public func validate() throws(ServerConfigurationError) {
        guard (0...65_535).contains(port) else { throw .init("--port must be between 0 and 65535") }
        guard maxUploadBytes > 0 else { throw .init("the upload limit must be positive") }
        if !isLoopback && token == nil {
            throw .init("refusing to listen on \(host) without a token: set METRON_TOKEN (uploads need it), or listen on 127.0.0.1")
        }
        // A token anyone could guess protects nothing on a reachable address.
        if !isLoopback, let token, token.unicodeScalars.count < Self.minimumTokenLength || token.contains(where: \.isWhitespace) {
            throw .init("METRON_TOKEN must be at least \(Self.minimumTokenLength) characters without spaces to listen on \(host) "
                        + "(e.g. openssl rand -hex 32)")
        }
    }
}

public struct ServerConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

import MetronCore
