extension NetworkThread {
    /// Carries out one command from the inbox, on the network thread.
    func handle(_ command: Command) {
        owner.assertOwned("NetworkThread.handle")
        switch command {
        case .start(let pending):
            start(pending)
        case .cancel(let id):
            if id > highestStartedID {
                cancelledBeforeStart.insert(id)
            } else {
                for pool in pools.values { pool.abort(id, with: .cancelled) }
            }
        case .setLimits(let key, let limits):
            if let key {
                limitsByKey[key] = limits
                pools[key]?.apply(limits)
            } else {
                defaultLimits = limits
                for (key, pool) in pools where limitsByKey[key] == nil { pool.apply(limits) }
            }
        case .setConcurrencyLimit(let key, let limit):
            concurrencyByKey[key] = limit
            pools[key]?.setConcurrencyLimit(limit)
        case .setAutoSizing(let key, let settings):
            autoSizingByKey[key] = settings
            pools[key]?.setAutoSizing(settings, fixedLimit: concurrencyByKey[key] ?? nil)
        case .serverLoad(let key, let waiting, let slots):
            pools[key]?.observeServerLoad(waiting: waiting, slots: slots)
        case .onThread(let body):
            body(self)
        case .close(let key, let done):
            if let pool = pools[key] {
                pool.close()
                logger.debug("closed pool", metadata: ["pool": "\(key)"])
            } else {
                // Closing a pool that was never used still means later requests must fail.
                let pool = makePool(for: key)
                pool.close()
            }
            flushDeliveries()
            done()
        case .closeAll(let done):
            managerClosed = true
            for pool in pools.values { pool.close() }
            logger.debug("closed all pools", metadata: ["pools": "\(pools.count)"])
            flushDeliveries()
            done()
        case .stop:
            managerClosed = true
            running = false
        }
    }

    private func start(_ pending: PendingRequest) {
        highestStartedID = max(highestStartedID, pending.id)
        if cancelledBeforeStart.remove(pending.id) != nil {
            pending.sink.fail(.cancelled)
            return
        }
        if managerClosed {
            pending.sink.fail(.poolClosed("all pools (the pool manager was closed)"))
            return
        }
        let pool = pools[pending.key] ?? makePool(for: pending.key)
        if pool.isClosed {
            let purpose = pending.request.purpose
            pool.recorder.update {
                $0.requestsStarted += 1
                $0.requestsByPurpose[purpose, default: 0] += 1
                $0.byPurpose[purpose, default: PurposeCounts()].requests += 1
            }
            pool.recorder.recordFailure(.poolClosed, purpose: purpose)
            pending.sink.fail(.poolClosed(pending.key.description))
            return
        }
        let transfer = Transfer(
            id: pending.id, request: pending.request, origin: pending.key.origin,
            purpose: pending.warmUp ? .warmUp : .request, sink: pending.sink,
            enqueuedAt: pending.enqueuedAt, thread: self)
        pool.enqueue(transfer)
    }

    private func makePool(for key: PoolKey) -> CurlPool {
        let limits = limitsByKey[key] ?? defaultLimits
        let recorder = PoolStatsRecorder(name: key.description, origin: key.origin, limits: limits)
        let pool = CurlPool(key: key, number: pools.count, limits: limits, recorder: recorder, thread: self)
        pools[key] = pool
        if let limit = concurrencyByKey[key] { pool.setConcurrencyLimit(limit) } else { pool.publishPolicy() }
        if let settings = autoSizingByKey[key] { pool.setAutoSizing(settings, fixedLimit: concurrencyByKey[key] ?? nil) }
        recorders.withLock { $0.append((key, recorder)) }
        logger.debug("opened pool", metadata: [
            "pool": "\(key)", "max_connections": "\(limits.maxConnections)",
            "max_idle": "\(limits.maxIdleConnections)",
        ])
        return pool
    }
}
