import MetronCore

/// Runs one benchmark instance in this process and describes the outcome as a result.
enum InstanceExecution {
    /// `simulate`: count the body under callgrind in batches of this many iterations
    /// (`SimulatedBatches`) instead of timing it; the result then has no metrics, only a status.
    static func run(_ instance: BenchmarkInstance, configuration: BenchmarkConfiguration, suite: String?,
                    clockCost: Double, simulate: Int? = nil) async -> BenchmarkResult {
        let declaration = instance.declaration
        var result = BenchmarkResult(name: declaration.name, kind: .inProcess, suite: suite, tags: declaration.tags,
                                     parameters: instance.parameters)
        let state = BenchmarkState(name: instance.key, parameterValue: instance.parameterValue,
                                   configuration: ResolvedConfiguration(configuration), clockCost: clockCost)
        state.simulation = simulate.map(SimulatedBatches.init)
        do {
            switch declaration.body {
            case .sync(let body): try body(state)
            case .async(let body): try await body(state)
            }
        } catch {
            result.status = .failed
            result.message = "threw \(type(of: error)): \(error)"
            return result
        }
        if let simulation = state.simulation {
            if !simulation.finished {
                result.status = .failed
                result.message = "the body did not run its batches through state.measure, so Valgrind could not count it"
                    + " (concurrent benchmarks are not counted)"
            }
            return result
        }
        guard let recording = state.recording else {
            result.status = .failed
            result.message = "the body never called state.measure, so nothing was measured"
            return result
        }
        result.metrics = ResultBuilder.metrics(recording, state: state)
        result.warnings = recording.warnings
        #if DEBUG
        result.warnings.append(MeasurementWarning(.debugBuild, "built without optimisation (debug): figures do not reflect release performance; "
                               + "run with swift run -c release"))
        #endif
        result.warmupRuns = recording.warmupIterations
        return result
    }

    /// The configuration an instance runs with: defaults < suite < benchmark < environment.
    static func configuration(for instance: BenchmarkInstance, defaults: BenchmarkConfiguration,
                              environment: BenchmarkConfiguration) -> BenchmarkConfiguration {
        environment.over(instance.declaration.configuration.over(defaults))
    }
}
