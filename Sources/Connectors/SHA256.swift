/// SHA-256 (FIPS 180-4), written out so webhook checks need no crypto package: swift-crypto would bring
/// BoringSSL's build time for one hash. Streaming, so a body is hashed without being copied.
struct SHA256 {
    static let digestSize = 32
    static let blockSize = 64

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    /// Bytes waiting for a whole block.
    private var pending: [UInt8] = []
    private var messageLength: UInt64 = 0

    init() { pending.reserveCapacity(Self.blockSize) }

    /// The digest of `bytes` in one call.
    static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    mutating func update(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) == nil {
            Array(bytes).withUnsafeBufferPointer { update(buffer: $0) }
        }
    }

    /// Pads, hashes the last block(s) and returns the 32-byte digest; the hasher is spent afterwards.
    mutating func finalize() -> [UInt8] {
        let bitLength = messageLength &* 8
        var padding: [UInt8] = [0x80]
        padding += [UInt8](repeating: 0, count: (Self.blockSize + 55 - pending.count) % Self.blockSize)
        for shift in stride(from: 56, through: 0, by: -8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        update(padding)
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestSize)
        for word in state {
            for shift in [24, 16, 8, 0] as [UInt32] { digest.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return digest
    }

    private mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        messageLength &+= UInt64(buffer.count)
        var rest = buffer[...]
        if !pending.isEmpty {
            let taken = min(Self.blockSize - pending.count, rest.count)
            pending += rest.prefix(taken)
            rest = rest.dropFirst(taken)
            guard pending.count == Self.blockSize else { return }
            Self.compress(&state, block: pending)
            pending.removeAll(keepingCapacity: true)
        }
        while rest.count >= Self.blockSize {
            Self.compress(&state, block: rest.prefix(Self.blockSize))
            rest = rest.dropFirst(Self.blockSize)
        }
        pending += rest
    }

    /// One 64-byte block into the running state.
    private static func compress(_ state: inout [UInt32], block: some Sequence<UInt8>) {
        var schedule = [UInt32](repeating: 0, count: 64)
        var filled = 0
        for byte in block {
            schedule[filled / 4] = schedule[filled / 4] << 8 | UInt32(byte)
            filled += 1
        }
        for t in 16..<64 {
            let s0 = schedule[t - 15].rotatedRight(7) ^ schedule[t - 15].rotatedRight(18) ^ (schedule[t - 15] >> 3)
            let s1 = schedule[t - 2].rotatedRight(17) ^ schedule[t - 2].rotatedRight(19) ^ (schedule[t - 2] >> 10)
            schedule[t] = schedule[t - 16] &+ s0 &+ schedule[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
        for t in 0..<64 {
            let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
            let choice = (e & f) ^ (~e & g)
            let temp1 = h &+ s1 &+ choice &+ roundConstants[t] &+ schedule[t]
            let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ s0 &+ majority)
        }
        for (index, value) in [a, b, c, d, e, f, g, h].enumerated() { state[index] &+= value }
    }
}

/// HMAC-SHA256 (RFC 2104), the signature Shopify and Square put on webhook bodies.
struct HMACSHA256 {
    private var inner = SHA256()
    /// The key after hashing (if longer than a block) and padding, kept for the outer hash.
    private let paddedKey: [UInt8]

    init(key: some Collection<UInt8>) {
        var block = key.count > SHA256.blockSize ? SHA256.hash(key) : Array(key)
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)
        paddedKey = block
        inner.update(block.map { $0 ^ 0x36 })
    }

    mutating func update(_ bytes: some Sequence<UInt8>) { inner.update(bytes) }

    mutating func finalize() -> [UInt8] {
        var outer = SHA256()
        outer.update(paddedKey.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// The MAC of `message` under `key` in one call.
    static func authenticationCode(for message: some Sequence<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var mac = HMACSHA256(key: key)
        mac.update(message)
        return mac.finalize()
    }
}

/// Compares two byte strings in time that depends only on their lengths, never on where they first differ, so
/// a forger cannot find a signature byte by byte from response times.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
    for index in 0..<max(lhs.count, rhs.count) {
        let left = index < lhs.count ? lhs[index] : 0
        let right = index < rhs.count ? rhs[index] : 0
        difference |= left ^ right
    }
    return difference == 0
}

extension UInt32 {
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { self >> count | self << (32 - count) }
}
