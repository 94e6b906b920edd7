public import Hummingbird
public import NIOCore

/// The request context of a registry served on its own: Hummingbird's basic context plus
/// the client's address, which the audit log records
/// (``RegistryServerOptions/activity``). Any context conforming to Hummingbird's
/// `RemoteAddressRequestContext` gives the registry the address the same way.
public struct RegistryRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The address of the connected client.
    public let remoteAddress: SocketAddress?

    /// Creates the context of a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
