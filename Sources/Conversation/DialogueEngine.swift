import Commerce
import Foundation
import RetailModel
import Understanding

/// Settings of a dialogue engine for one store.
public struct DialogueConfiguration: Sendable {
    /// Said in greetings and goodbyes.
    public var storeName: String
    public var returnPolicy: ReturnPolicy
    /// Where "now" comes from, and the time zone days are said in.
    public var clock: StoreClock
    /// Below this confidence the assistant asks a short clarifying question instead of guessing.
    public var clarifyBelow: Double
    /// What the caller hears for each POS failure (default: the bundled `error-replies.yaml`).
    public var errorReplies: ErrorReplies
    /// At or below this many units at a store, stock is called low and not promised.
    public var lowStockAt: Int
    /// A stock count older than this (seconds) is said with its age.
    public var staleStockAfter: TimeInterval
    /// Where holds on stock live while callers order; share one book between engines that share a store.
    public var reservations: any ReservationBook
    /// How long a hold lasts from the moment a caller starts ordering a variant at a store.
    public var holdMinutes: Int
    /// The longest a caller waits for an answer to one thing they said, however many POS calls it takes.
    public var turnDeadline: Duration
    /// What turn deadlines are measured on: the system's continuous clock, or the same clock a test gives the gateway.
    public var monotonicClock: any MonotonicClock = .system
    /// How often (seconds, by `clock`) the catalog and store list are read again, so new and renamed products are
    /// understood without a restart. A fixed clock never comes due: replays stay deterministic.
    public var catalogSyncInterval: TimeInterval = 3600
    /// The longest utterance understood, in characters; a longer one is answered with a request to say it in a sentence
    /// or two, and nothing of it is read or kept. It bounds the work of a turn: understanding is linear in the words.
    public var longestUtterance = DialogueConfiguration.utteranceCap

    /// `longestUtterance` unless set otherwise.
    public static let utteranceCap = 1_000
    /// Recognizer alternatives read per turn, the best first.
    public var mostAlternatives = 5
    /// A call not heard from for this long (seconds, by `clock`) is over: its holds are let go, an order nobody paid
    /// for is cancelled, and its state is forgotten.
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    /// Lines of a session's transcript kept, the latest.
    public var transcriptLines = 200

    public init(
        storeName: String, returnPolicy: ReturnPolicy, clock: StoreClock, clarifyBelow: Double = 0.3,
        errorReplies: ErrorReplies = .standard, lowStockAt: Int = 2, staleStockAfter: TimeInterval = 30 * 60,
        reservations: any ReservationBook = InMemoryReservations(), holdMinutes: Int = 10, turnDeadline: Duration = .seconds(2)
    ) {
        self.turnDeadline = turnDeadline
        self.storeName = storeName
        self.returnPolicy = returnPolicy
        self.clock = clock
        self.clarifyBelow = clarifyBelow
        self.errorReplies = errorReplies
        self.lowStockAt = lowStockAt
        self.staleStockAfter = staleStockAfter
        self.reservations = reservations
        self.holdMinutes = holdMinutes
    }
}

/// Holds every caller's conversation and answers one utterance at a time: the library's entry point.
///
/// ```swift
/// let engine = try await DialogueEngine.start(pointOfSale: store, tokenizer: store, intents: intents, configuration: config)
/// let reply = await engine.respond(to: Utterance(sessionID: "call-1", text: "do you have the air max in a ten"))
/// print(reply.text)   // "Yes, we have 3 pairs in size 10 at the Downtown store…"
/// ```
public actor DialogueEngine {
    private let pointOfSale: any PointOfSale
    private let tokenizer: any CardTokenizer
    private var understanding: LanguageUnderstanding
    private var locations: [Location]
    private let configuration: DialogueConfiguration
    private var sessions: [String: SessionState] = [:]
    /// When the catalog was last read for understanding, and whether a read is under way.
    private var catalogSyncedOn: Date
    private var syncingCatalog = false
    /// When idle sessions were last looked for.
    private var sweptOn = Date.distantPast
    /// Sessions with a turn under way, and the turns of the same session waiting for it.
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// An engine over a POS whose catalog and locations the given understanding was built from.
    ///
    /// Prefer `start(pointOfSale:tokenizer:intents:configuration:)`, which reads them for you.
    public init(
        pointOfSale: any PointOfSale, tokenizer: any CardTokenizer, understanding: LanguageUnderstanding,
        locations: [Location], configuration: DialogueConfiguration
    ) {
        self.pointOfSale = pointOfSale
        self.tokenizer = tokenizer
        self.understanding = understanding
        self.locations = locations
        self.configuration = configuration
        catalogSyncedOn = configuration.clock.now
    }

    /// Reads the catalog and locations from the POS, builds understanding from the intent examples,
    /// and returns a ready engine.
    ///
    /// - Throws: `POSError` when the POS cannot be read.
    public static func start(
        pointOfSale: any PointOfSale, tokenizer: any CardTokenizer, intents: [IntentDefinition],
        configuration: DialogueConfiguration
    ) async throws -> DialogueEngine {
        let catalog = try await pointOfSale.catalog()
        let locations = try await pointOfSale.locations()
        let understanding = LanguageUnderstanding(intents: intents, catalog: catalog, locations: locations)
        return DialogueEngine(
            pointOfSale: pointOfSale, tokenizer: tokenizer, understanding: understanding, locations: locations,
            configuration: configuration)
    }

    /// Answers one utterance in its session, creating the session on first use.
    ///
    /// Turns of one session run one after another, in arrival order; different sessions interleave freely.
    public func respond(to utterance: Utterance) async -> Reply {
        // However many POS calls the turn makes, the caller hears something within about two seconds.
        await TurnDeadline.$current.withValue(configuration.monotonicClock.now + configuration.turnDeadline) {
            await answer(utterance)
        }
    }

    /// Reads the catalog and store list again and, when they changed, rebuilds understanding over them: new products
    /// are recognised, renamed ones by their new names. Runs by itself every `catalogSyncInterval`, beside the turns
    /// (never delaying one), and when a webhook says the catalog changed. A POS that can't be read changes nothing.
    public func syncCatalog() async {
        guard !syncingCatalog else { return }
        syncingCatalog = true
        defer { syncingCatalog = false }
        catalogSyncedOn = configuration.clock.now
        guard let catalog = try? await pointOfSale.catalog(), let stores = try? await pointOfSale.locations() else { return }
        let known = understanding.products
        guard catalog.count != known.count || catalog.contains(where: { known[$0.id] != $0 }) || stores != understanding.locations else {
            return
        }
        understanding = understanding.with(catalog: catalog, locations: stores)
        locations = stores
    }

    private func answer(_ utterance: Utterance) async -> Reply {
        var utterance = utterance
        utterance.alternatives = Array(utterance.alternatives.prefix(configuration.mostAlternatives))
        if ([utterance.text] + utterance.alternatives.map(\.text)).contains(where: {
            $0.utf8.count > 4 * configuration.longestUtterance || $0.count > configuration.longestUtterance
        }) {
            return tooLong(utterance)
        }
        await expireIdleSessions()
        if configuration.clock.now.timeIntervalSince(catalogSyncedOn) >= configuration.catalogSyncInterval, !syncingCatalog {
            catalogSyncedOn = configuration.clock.now
            // Not the caller's turn's business: its own time, and nobody waits for it.
            Task { await TurnDeadline.$current.withValue(nil) { await self.syncCatalog() } }
        }
        await beginTurn(utterance.sessionID)
        defer { endTurn(utterance.sessionID) }
        var state = sessions[utterance.sessionID] ?? SessionState(id: utterance.sessionID)
        if let caller = utterance.caller, let bound = state.resolvedCaller, caller != bound {
            // A session belongs to one caller: another caller's turn starts a new call, so nobody's "yes" or card ever
            // pays for somebody else's order. What the first caller left unpaid or held is let go, as at a hang-up.
            if !state.handedOff { await cancelUnpaidOrders(of: state) }
            await configuration.reservations.releaseAll(holder: utterance.sessionID)
            state = SessionState(id: utterance.sessionID)
        }
        var identified: String?
        if let caller = utterance.caller, caller != state.resolvedCaller {
            // Identifying the caller belongs to the call, not to the turn's flow, so it is traced apart.
            state.customer = nil
            state.resolvedCaller = caller
            if caller.customerID != nil || caller.phone != nil {
                let id = caller.customerID ?? "phone ending \(caller.phone!.filter(\.isNumber).suffix(4))"
                do {
                    let customer =
                        if let customerID = caller.customerID {
                            try await pointOfSale.customer(id: customerID)
                        } else {
                            try await pointOfSale.customer(phone: caller.phone!)
                        }
                    state.customer = customer
                    state.accountUnreachable = false
                    identified = "\(customer.name) (\(customer.id))"
                } catch let error as POSError where error.isTransient {
                    // Try again on the next turn rather than treating a known caller as a stranger all call.
                    state.resolvedCaller = nil
                    state.accountUnreachable = true
                    identified = "lookup of \(id) failed: \(error)"
                } catch {
                    identified = "unknown customer \(POSError.scrub(id))"
                }
            }
        }
        var reply = await run(utterance, state: &state)
        reply.trace.caller = identified
        // A call handed to a person or ended holds nothing any more.
        if reply.action != .continue { await configuration.reservations.releaseAll(holder: utterance.sessionID) }
        state.lastHeard = configuration.clock.now
        if state.transcript.count > configuration.transcriptLines {
            state.transcript.removeFirst(state.transcript.count - configuration.transcriptLines)
        }
        sessions[utterance.sessionID] = state
        return reply
    }

    /// The answer to an utterance too long to read: the question that stood still stands, and nothing is kept.
    private func tooLong(_ utterance: Utterance) -> Reply {
        let state = sessions[utterance.sessionID]
        let text = "Sorry, that was more than I can take in at once. Could you tell me in a sentence or two?"
        return Reply(
            sessionID: utterance.sessionID, text: text, ssml: VoiceMarkup.ssml(text), action: .continue, intent: .outOfScope, confidence: 0,
            slots: [:], expecting: state?.expecting, hints: state?.lastHints ?? [], handoff: nil, callback: nil, progress: nil,
            trace: TurnTrace(normalized: "", entities: [:], calls: [], acts: [], caller: nil))
    }

    /// Ends every call not heard from for `sessionIdleTimeout`, as a hang-up would (its turn never under way).
    private func expireIdleSessions() async {
        let now = configuration.clock.now
        // Looked for at most once a minute: it reads every session.
        guard now.timeIntervalSince(sweptOn) >= 60 else { return }
        sweptOn = now
        let idle = sessions.filter { id, state in !busy.contains(id) && now.timeIntervalSince(state.lastHeard) >= configuration.sessionIdleTimeout }
        for id in idle.keys { await endSession(id) }
    }

    /// Sessions held now (for `/health` and tests).
    public var sessionCount: Int { sessions.count }

    /// Whether a call with this id is under way.
    public func hasSession(_ id: String) -> Bool { sessions[id] != nil }

    /// The most effects one turn may perform; past it, what else it asks for fails as if the POS were down.
    static let effectsPerTurn = 48

    /// The loop that runs a turn: the turn decides synchronously and stops at each effect it needs; the loop performs
    /// that effect (the one place a turn's POS calls are awaited) and runs the turn again with every outcome so far,
    /// until it replies.
    private func run(_ utterance: Utterance, state: inout SessionState) async -> Reply {
        let recording = RecordingPointOfSale(pointOfSale)
        let now = configuration.clock.now
        let performer = Effect.Performer(
            pos: recording, tokenizer: tokenizer,
            stockKeeper: StockKeeper(
                pos: recording, book: configuration.reservations, locations: locations, holdFor: Double(configuration.holdMinutes) * 60),
            reservations: configuration.reservations, holder: utterance.sessionID, now: now)
        var outcomes: [EffectReplay.Outcome] = []
        var understood: Interpretation?
        while true {
            var turn = Turn(
                state: state, pos: EffectReplay(outcomes: outcomes, capabilities: pointOfSale.capabilities), understanding: understanding,
                locations: locations, configuration: configuration, now: now)
            switch turn.run(utterance, understood: understood) {
            case .perform(let effect):
                understood = turn.understood
                let result = outcomes.count < Self.effectsPerTurn ? await effect.perform(with: performer) : .failure(.unavailable)
                outcomes.append((effect, result))
            case .reply(var reply):
                reply.trace.calls = recording.log.calls
                state = turn.state
                return reply
            }
        }
    }

    private func beginTurn(_ id: String) async {
        guard busy.contains(id) else {
            busy.insert(id)
            return
        }
        await withCheckedContinuation { waiting[id, default: []].append($0) }
    }

    /// Hands the session to the next waiting turn, or frees it.
    private func endTurn(_ id: String) {
        if var queue = waiting[id], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[id] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            busy.remove(id)
        }
    }

    /// A caller who hangs up mid-checkout leaves no order holding stock in the POS: an order created for them that
    /// nothing has paid for (and no charge may have reached) is cancelled. A person taking over keeps it.
    private func cancelUnpaidOrders(of state: SessionState) async {
        var drafts: [OrderDraft] = []
        if case .order(let draft) = state.flow { drafts.append(draft) }
        drafts += state.ordersSetAside
        for draft in drafts where !draft.paid && !draft.paymentUncertain && pointOfSale.capabilities.takesCardPayments {
            if let number = draft.orderNumber { _ = try? await pointOfSale.cancelOrder(number: number) }
        }
        for number in state.ordersToCancel { _ = try? await pointOfSale.cancelOrder(number: number) }
    }

    /// Forgets a session (the call ended, or `/reset`).
    ///
    /// A turn of the session still under way finishes first (a hang-up mid-charge must not cancel the order being
    /// paid for, nor be undone when that turn saves its state).
    public func endSession(_ id: String) async {
        await beginTurn(id)
        defer { endTurn(id) }
        if let state = sessions[id], !state.handedOff { await cancelUnpaidOrders(of: state) }
        sessions[id] = nil
        // A call that is over holds nothing.
        await configuration.reservations.releaseAll(holder: id)
    }

    /// What was said in a session, card numbers redacted.
    public func transcript(of id: String) -> [TranscriptLine] {
        sessions[id]?.transcript ?? []
    }
}
