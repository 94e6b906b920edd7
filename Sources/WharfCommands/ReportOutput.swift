import Foundation
import WharfScan

/// Renders scan reports in the formats the scan verbs offer and writes them out.
enum ReportOutput {
    static func render(_ report: ScanReport, format: String) throws -> Data {
        let version = WharfVersion.current
        switch format {
        case "json": return try report.json() + Data("\n".utf8)
        case "sarif": return try SARIFWriter(toolVersion: version).write(report) + Data("\n".utf8)
        case "cyclonedx": return try CycloneDXWriter(toolVersion: version).write(report) + Data("\n".utf8)
        case "spdx": return try SPDXWriter(toolVersion: version).write(report) + Data("\n".utf8)
        default: return Data(report.table().utf8)
        }
    }

    /// Writes to `path` atomically, or to standard output.
    static func write(_ data: Data, to path: String?) throws {
        if let path {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
