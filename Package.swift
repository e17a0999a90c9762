// swift-tools-version:6.0
import PackageDescription

/// The package graph enforces the house rules: faces depend on DeskCore and DeskFaceKit (and, for
/// the OTRS family, on their shared OTRSCommon), never on DeskStore; only DeskServer and the CLI
/// know the store. scripts/test builds with `--explicit-target-dependency-import-check error`, so
/// importing a module a target does not declare fails the build.
let package = Package(
    name: "SwiftDesk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftdesk", targets: ["swiftdesk"]),
        .library(name: "DeskCore", targets: ["DeskCore"]),
        .library(name: "DeskStore", targets: ["DeskStore"]),
        .library(name: "DeskFaceKit", targets: ["DeskFaceKit"]),
        .library(name: "DeskServer", targets: ["DeskServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.1"..<"7.0.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "DeskCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "DeskStore",
            dependencies: [
                "DeskCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DeskFaceKit",
            dependencies: [
                "DeskCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "OTRSCommon",
            dependencies: ["DeskCore", "DeskFaceKit"],
            path: "Sources/Faces/OTRSCommon"
        ),
        .target(
            name: "ZnunyGI",
            dependencies: [
                "DeskCore", "DeskFaceKit", "OTRSCommon",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Faces/ZnunyGI"
        ),
        .target(
            name: "OTRSRPC",
            dependencies: [
                "DeskCore", "DeskFaceKit", "OTRSCommon",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Faces/OTRSRPC"
        ),
        .target(
            name: "OSTicket",
            dependencies: [
                "DeskCore", "DeskFaceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Faces/OSTicket"
        ),
        .target(
            name: "DjangoHelpdesk",
            dependencies: [
                "DeskCore", "DeskFaceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Faces/DjangoHelpdesk"
        ),
        .target(
            name: "WHMCS",
            dependencies: [
                "DeskCore", "DeskFaceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Faces/WHMCS"
        ),
        .target(
            name: "DeskMail",
            dependencies: [
                "DeskCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DeskServer",
            dependencies: [
                "DeskCore", "DeskStore", "DeskFaceKit", "DeskMail", "OTRSCommon", "ZnunyGI", "OTRSRPC", "OSTicket", "DjangoHelpdesk",
                "WHMCS", .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "swiftdesk",
            dependencies: [
                "DeskCore", "DeskStore", "DeskServer", "DeskMail", "ZnunyGI", "OTRSRPC", "OSTicket", "DjangoHelpdesk", "WHMCS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "DeskTestSupport",
            dependencies: ["DeskCore", "DeskStore"],
            path: "Tests/DeskTestSupport"
        ),
        .testTarget(
            name: "DeskCoreTests",
            dependencies: ["DeskCore"]
        ),
        .testTarget(
            name: "DeskStoreTests",
            dependencies: ["DeskCore", "DeskStore", "DeskTestSupport"]
        ),
        .testTarget(
            name: "DeskMailTests",
            dependencies: ["DeskCore", "DeskMail"]
        ),
        .testTarget(
            name: "DeskFaceKitTests",
            dependencies: ["DeskCore", "DeskFaceKit"]
        ),
        .testTarget(
            name: "DeskServerTests",
            dependencies: [
                "DeskCore", "DeskStore", "DeskFaceKit", "DeskServer", "ZnunyGI", "OTRSRPC", "OTRSCommon", "OSTicket", "DjangoHelpdesk", "WHMCS",
                "DeskTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SwiftDeskCLITests",
            dependencies: ["swiftdesk", "DeskTestSupport"]
        ),
    ]
)
