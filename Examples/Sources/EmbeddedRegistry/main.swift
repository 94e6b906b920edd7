// A registry inside an existing Hummingbird application: /v2/ is the registry, the rest is
// the application's own. Each tenant's registry lives below a prefix of one storage root.
//
//     swift run EmbeddedRegistry [ROOT] [PORT]
import Hummingbird
import WharfServer

let arguments = CommandLine.arguments
let root = arguments.count > 1 ? arguments[1] : "./example-data"
let port = arguments.count > 2 ? Int(arguments[2]) ?? 5000 : 5000

let shared = try FileSystemDriver(rootDirectory: root)
let store = RegistryStore(driver: TenantDriver(base: shared, prefix: "/tenants/acme"))

let router = Router()
router.add(middleware: RegistryMiddleware(store: store))
router.get("/health") { _, _ in "ok" }

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
