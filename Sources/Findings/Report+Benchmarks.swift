extension Report {
    /// One line per benchmark: the report's own figure (or why there is none) beside the
    /// national one, in words.
    var benchmarkLines: [(text: String, quote: String, source: String)] {
        benchmarks.map { benchmark in
            let name = benchmark.figure == "caseload" ? "Median caseload here" : "Median supervision here, in minutes"
            let own = benchmark.reportFigure(in: total.statistics).map { Report.number($0) } ?? "not shown (held back, or nobody gave it)"
            let text = "\(name): \(own). Nationally: \(Report.number(benchmark.value)), the \(benchmark.label)."
            return (text, benchmark.quote, "\(benchmark.source); words verified in \(benchmark.verifiedIn)")
        }
    }

    /// The CSV rows of the benchmarks: the national value in the column of the figure it
    /// stands beside, the quote in the label, the source last.
    func benchmarkRows() -> [[String]] {
        benchmarks.map { benchmark in
            var row = ["benchmark", benchmark.figure, "\(benchmark.label): “\(benchmark.quote)”", "0"]
                + Array(repeating: "", count: Report.figureColumns.count) + ["\(benchmark.source); words verified in \(benchmark.verifiedIn)"]
            let column = benchmark.figure == "caseload" ? "caseload_median" : "supervision_minutes_median"
            if let index = Report.figureColumns.firstIndex(of: column) { row[4 + index] = Report.number(benchmark.value) }
            return row
        }
    }
}
