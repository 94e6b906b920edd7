// A small scanner: the packages and vulnerabilities of an image in an OCI layout, with a
// cataloger of its own beside Wharf's.
//
//     swift run ScanTool LAYOUT-DIR TAG [OSV-DIR-OR-ZIP-OR-WHARFDB]
import Foundation
import WharfScan

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: ScanTool LAYOUT-DIR TAG [ADVISORIES]\n".utf8))
    exit(64)
}
let layout = try await OCILayoutStore(root: arguments[1], create: false)
let advisories = try arguments.count > 3 ? AdvisoryDatabase.load(path: arguments[3]) : nil
let scanner = ImageScanner(
    advisories: advisories, catalogers: ImageScanner.defaultCatalogers + [ToyLockCataloger()])
let report = try await scanner.scan(arguments[2], in: layout)

print("\(report.packages.count) packages in \(report.digest)")
for package in report.packages {
    print("  \(package.ecosystem) \(package.name) \(package.version)")
}
for finding in report.findings {
    print(
        "\(finding.severity) \(finding.advisoryID) \(finding.package.name) \(finding.package.version)"
            + (finding.fixedVersion.map { " (fixed in \($0))" } ?? ""))
}
