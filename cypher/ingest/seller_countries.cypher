// The countries of the sellers of one batch: phones written without a country code are read
// with their seller's country.
UNWIND $sellerIds AS id
MATCH (s:Seller {sellerId: id})
WHERE s.country IS NOT NULL
RETURN id AS sellerId, s.country AS country
