import RetailModel

