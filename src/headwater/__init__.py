"""headwater: an asset-centric data orchestrator."""
