// Identity events of this run (new, continued, merged, split, dissolved), hung on their ring.
UNWIND $events AS event
MATCH (r:Ring {ringId: event.ringId})
CREATE (r)-[:HAD_EVENT]->(:RingEvent {type: event.type, runId: $runId, at: datetime($now), detail: event.detail})
RETURN count(*) AS events
