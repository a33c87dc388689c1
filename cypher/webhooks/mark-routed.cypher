// Alerts fanned out to every webhook that may see them.
UNWIND $alertIds AS alertId
MATCH (a:Unrouted {alertId: alertId})
REMOVE a:Unrouted
RETURN count(a) AS routed
