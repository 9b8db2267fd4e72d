from crewai_tools.adapters.enterprise_adapter import EnterpriseActionTool
from crewai_tools.adapters.mcp_adapter import MCPServerAdapter
from crewai_tools.adapters.zapier_adapter import ZapierActionTool
from crewai_tools.aws.bedrock.agents.invoke_agent_tool import BedrockInvokeAgentTool
from crewai_tools.aws.bedrock.knowledge_base.retriever_tool import (
    BedrockKBRetrieverTool,
)
from crewai_tools.aws.s3.reader_tool import S3ReaderTool
from crewai_tools.aws.s3.writer_tool import S3WriterTool
from crewai_tools.tools.ai_mind_tool.ai_mind_tool import AIMindTool
from crewai_tools.tools.apify_actors_tool.apify_actors_tool import ApifyActorsTool
from crewai_tools.tools.arxiv_paper_tool.arxiv_paper_tool import ArxivPaperTool
from crewai_tools.tools.brave_search_tool.brave_image_tool import BraveImageSearchTool
from crewai_tools.tools.brave_search_tool.brave_llm_context_tool import (
    BraveLLMContextTool,
)
from crewai_tools.tools.brave_search_tool.brave_local_pois_tool import (
    BraveLocalPOIsDescriptionTool,
    BraveLocalPOIsTool,
)
from crewai_tools.tools.brave_search_tool.brave_news_tool import BraveNewsSearchTool
from crewai_tools.tools.brave_search_tool.brave_search_tool import BraveSearchTool
from crewai_tools.tools.brave_search_tool.brave_video_tool import BraveVideoSearchTool
from crewai_tools.tools.brave_search_tool.brave_web_tool import BraveWebSearchTool
from crewai_tools.tools.brightdata_tool.brightdata_dataset import (
    BrightDataDatasetTool,
)
from crewai_tools.tools.brightdata_tool.brightdata_serp import BrightDataSearchTool
from crewai_tools.tools.brightdata_tool.brightdata_unlocker import (
    BrightDataWebUnlockerTool,
)
from crewai_tools.tools.browserbase_load_tool.browserbase_load_tool import (
    BrowserbaseLoadTool,
)
from crewai_tools.tools.code_docs_search_tool.code_docs_search_tool import (
    CodeDocsSearchTool,
)
from crewai_tools.tools.composio_tool.composio_tool import ComposioTool
from crewai_tools.tools.contextualai_create_agent_tool.contextual_create_agent_tool import (
    ContextualAICreateAgentTool,
)
from crewai_tools.tools.contextualai_parse_tool.contextual_parse_tool import (
    ContextualAIParseTool,
)
from crewai_tools.tools.contextualai_query_tool.contextual_query_tool import (
    ContextualAIQueryTool,
)
from crewai_tools.tools.contextualai_rerank_tool.contextual_rerank_tool import (
    ContextualAIRerankTool,
)
from crewai_tools.tools.couchbase_tool.couchbase_tool import (
    CouchbaseFTSVectorSearchTool,
)
from crewai_tools.tools.crewai_platform_tools.crewai_platform_tools import (
    CrewaiPlatformTools,
)
from crewai_tools.tools.csv_search_tool.csv_search_tool import CSVSearchTool
from crewai_tools.tools.dalle_tool.dalle_tool import DallETool
from crewai_tools.tools.databricks_query_tool.databricks_query_tool import (
    DatabricksQueryTool,
)
from crewai_tools.tools.daytona_sandbox_tool import (
    DaytonaExecTool,
    DaytonaFileTool,
    DaytonaPythonTool,
)
from crewai_tools.tools.db2_search_tool import (
    DB2ToolSchema,
    DB2VectorSearchTool,
)
from crewai_tools.tools.directory_read_tool.directory_read_tool import (
    DirectoryReadTool,
)
from crewai_tools.tools.directory_search_tool.directory_search_tool import (
    DirectorySearchTool,
)
from crewai_tools.tools.docx_search_tool.docx_search_tool import DOCXSearchTool
from crewai_tools.tools.e2b_sandbox_tool import (
    E2BExecTool,
    E2BFileTool,
    E2BPythonTool,
)
from crewai_tools.tools.exa_tools.exa_search_tool import EXASearchTool, ExaSearchTool
from crewai_tools.tools.file_read_tool.file_read_tool import FileReadTool
from crewai_tools.tools.file_writer_tool.file_writer_tool import FileWriterTool
from crewai_tools.tools.files_compressor_tool.files_compressor_tool import (
    FileCompressorTool,
)
from crewai_tools.tools.firecrawl_crawl_website_tool.firecrawl_crawl_website_tool import (
    FirecrawlCrawlWebsiteTool,
)
from crewai_tools.tools.firecrawl_scrape_website_tool.firecrawl_scrape_website_tool import (
    FirecrawlScrapeWebsiteTool,
)
from crewai_tools.tools.firecrawl_search_tool.firecrawl_search_tool import (
    FirecrawlSearchTool,
)
from crewai_tools.tools.generate_crewai_automation_tool.generate_crewai_automation_tool import (
    GenerateCrewaiAutomationTool,
)
from crewai_tools.tools.github_search_tool.github_search_tool import GithubSearchTool
from crewai_tools.tools.hyperbrowser_load_tool.hyperbrowser_load_tool import (
    HyperbrowserLoadTool,
)
from crewai_tools.tools.invoke_crewai_automation_tool.invoke_crewai_automation_tool import (
    InvokeCrewAIAutomationTool,
)
from crewai_tools.tools.jina_scrape_website_tool.jina_scrape_website_tool import (
    JinaScrapeWebsiteTool,
)
from crewai_tools.tools.json_search_tool.json_search_tool import JSONSearchTool
from crewai_tools.tools.linkup.linkup_search_tool import LinkupSearchTool
from crewai_tools.tools.llamaindex_tool.llamaindex_tool import LlamaIndexTool
from crewai_tools.tools.mdx_search_tool.mdx_search_tool import MDXSearchTool
from crewai_tools.tools.merge_agent_handler_tool.merge_agent_handler_tool import (
    MergeAgentHandlerTool,
)
from crewai_tools.tools.mongodb_vector_search_tool.vector_search import (
    MongoDBVectorSearchConfig,
    MongoDBVectorSearchTool,
)
from crewai_tools.tools.multion_tool.multion_tool import MultiOnTool
from crewai_tools.tools.mysql_search_tool.mysql_search_tool import MySQLSearchTool
from crewai_tools.tools.nl2sql.nl2sql_tool import NL2SQLTool
from crewai_tools.tools.ocr_tool.ocr_tool import OCRTool
from crewai_tools.tools.oxylabs_amazon_product_scraper_tool.oxylabs_amazon_product_scraper_tool import (
    OxylabsAmazonProductScraperTool,
)
from crewai_tools.tools.oxylabs_amazon_search_scraper_tool.oxylabs_amazon_search_scraper_tool import (
    OxylabsAmazonSearchScraperTool,
)
from crewai_tools.tools.oxylabs_google_search_scraper_tool.oxylabs_google_search_scraper_tool import (
    OxylabsGoogleSearchScraperTool,
)
from crewai_tools.tools.oxylabs_universal_scraper_tool.oxylabs_universal_scraper_tool import (
    OxylabsUniversalScraperTool,
)
from crewai_tools.tools.parallel_tools.parallel_search_tool import ParallelSearchTool
from crewai_tools.tools.patronus_eval_tool.patronus_eval_tool import PatronusEvalTool
from crewai_tools.tools.patronus_eval_tool.patronus_local_evaluator_tool import (
    PatronusLocalEvaluatorTool,
)
from crewai_tools.tools.patronus_eval_tool.patronus_predefined_criteria_eval_tool import (
    PatronusPredefinedCriteriaEvalTool,
)
from crewai_tools.tools.pdf_search_tool.pdf_search_tool import PDFSearchTool
from crewai_tools.tools.qdrant_vector_search_tool.qdrant_search_tool import (
    QdrantVectorSearchTool,
)
from crewai_tools.tools.rag.rag_tool import RagTool
from crewai_tools.tools.scrape_element_from_website.scrape_element_from_website import (
    ScrapeElementFromWebsiteTool,
)
from crewai_tools.tools.scrape_website_tool.scrape_website_tool import (
    ScrapeWebsiteTool,
)
from crewai_tools.tools.scrapegraph_scrape_tool.scrapegraph_scrape_tool import (
    ScrapegraphScrapeTool,
    ScrapegraphScrapeToolSchema,
)
from crewai_tools.tools.scrapfly_scrape_website_tool.scrapfly_scrape_website_tool import (
    ScrapflyScrapeWebsiteTool,
)
from crewai_tools.tools.selenium_scraping_tool.selenium_scraping_tool import (
    SeleniumScrapingTool,
)
from crewai_tools.tools.serpapi_tool.serpapi_google_search_tool import (
    SerpApiGoogleSearchTool,
)
from crewai_tools.tools.serpapi_tool.serpapi_google_shopping_tool import (
    SerpApiGoogleShoppingTool,
)
from crewai_tools.tools.serper_dev_tool.serper_dev_tool import SerperDevTool
from crewai_tools.tools.serper_scrape_website_tool.serper_scrape_website_tool import (
    SerperScrapeWebsiteTool,
)
from crewai_tools.tools.serply_api_tool.serply_job_search_tool import (
    SerplyJobSearchTool,
)
from crewai_tools.tools.serply_api_tool.serply_news_search_tool import (
    SerplyNewsSearchTool,
)
from crewai_tools.tools.serply_api_tool.serply_scholar_search_tool import (
    SerplyScholarSearchTool,
)
from crewai_tools.tools.serply_api_tool.serply_web_search_tool import (
    SerplyWebSearchTool,
)
from crewai_tools.tools.serply_api_tool.serply_webpage_to_markdown_tool import (
    SerplyWebpageToMarkdownTool,
)
from crewai_tools.tools.singlestore_search_tool.singlestore_search_tool import (
    SingleStoreSearchTool,
)
from crewai_tools.tools.snowflake_search_tool.snowflake_search_tool import (
    SnowflakeConfig,
    SnowflakeSearchTool,
)
from crewai_tools.tools.spider_tool.spider_tool import SpiderTool
from crewai_tools.tools.stagehand_tool.stagehand_tool import StagehandTool
from crewai_tools.tools.tavily_extractor_tool.tavily_extractor_tool import (
    TavilyExtractorTool,
)
from crewai_tools.tools.tavily_get_research_tool.tavily_get_research_tool import (
    TavilyGetResearchTool,
)
from crewai_tools.tools.tavily_research_tool.tavily_research_tool import (
    TavilyResearchTool,
)
from crewai_tools.tools.tavily_search_tool.tavily_search_tool import TavilySearchTool
from crewai_tools.tools.txt_search_tool.txt_search_tool import TXTSearchTool
from crewai_tools.tools.url_read_tool.url_read_tool import URLReadTool
from crewai_tools.tools.vision_tool.vision_tool import VisionTool
from crewai_tools.tools.wait_tool.wait_tool import WaitTool
from crewai_tools.tools.weaviate_tool.vector_search import WeaviateVectorSearchTool
from crewai_tools.tools.website_search.website_search_tool import WebsiteSearchTool
from crewai_tools.tools.xml_search_tool.xml_search_tool import XMLSearchTool
from crewai_tools.tools.youtube_channel_search_tool.youtube_channel_search_tool import (
    YoutubeChannelSearchTool,
)
from crewai_tools.tools.youtube_video_search_tool.youtube_video_search_tool import (
    YoutubeVideoSearchTool,
)
from crewai_tools.tools.zapier_action_tool.zapier_action_tool import ZapierActionTools


__all__ = [
    "AIMindTool",
    "ApifyActorsTool",
    "ArxivPaperTool",
    "BedrockInvokeAgentTool",
    "BedrockKBRetrieverTool",
    "BraveImageSearchTool",
    "BraveLLMContextTool",
    "BraveLocalPOIsDescriptionTool",
    "BraveLocalPOIsTool",
    "BraveNewsSearchTool",
    "BraveSearchTool",
    "BraveVideoSearchTool",
    "BraveWebSearchTool",
    "BrightDataDatasetTool",
    "BrightDataSearchTool",
    "BrightDataWebUnlockerTool",
    "BrowserbaseLoadTool",
    "CSVSearchTool",
    "CodeDocsSearchTool",
    "ComposioTool",
    "ContextualAICreateAgentTool",
    "ContextualAIParseTool",
    "ContextualAIQueryTool",
    "ContextualAIRerankTool",
    "CouchbaseFTSVectorSearchTool",
    "CrewaiPlatformTools",
    "DB2ToolSchema",
    "DB2VectorSearchTool",
    "DOCXSearchTool",
    "DallETool",
    "DatabricksQueryTool",
    "DaytonaExecTool",
    "DaytonaFileTool",
    "DaytonaPythonTool",
    "DirectoryReadTool",
    "DirectorySearchTool",
    "E2BExecTool",
    "E2BFileTool",
    "E2BPythonTool",
    "EXASearchTool",
    "EnterpriseActionTool",
    "ExaSearchTool",
    "FileCompressorTool",
    "FileReadTool",
    "FileWriterTool",
    "FirecrawlCrawlWebsiteTool",
    "FirecrawlScrapeWebsiteTool",
    "FirecrawlSearchTool",
    "GenerateCrewaiAutomationTool",
    "GithubSearchTool",
    "HyperbrowserLoadTool",
    "InvokeCrewAIAutomationTool",
    "JSONSearchTool",
    "JinaScrapeWebsiteTool",
    "LinkupSearchTool",
    "LlamaIndexTool",
    "MCPServerAdapter",
    "MDXSearchTool",
    "MergeAgentHandlerTool",
    "MongoDBVectorSearchConfig",
    "MongoDBVectorSearchTool",
    "MultiOnTool",
    "MySQLSearchTool",
    "NL2SQLTool",
    "OCRTool",
    "OxylabsAmazonProductScraperTool",
    "OxylabsAmazonSearchScraperTool",
    "OxylabsGoogleSearchScraperTool",
    "OxylabsUniversalScraperTool",
    "PDFSearchTool",
    "ParallelSearchTool",
    "PatronusEvalTool",
    "PatronusLocalEvaluatorTool",
    "PatronusPredefinedCriteriaEvalTool",
    "QdrantVectorSearchTool",
    "RagTool",
    "S3ReaderTool",
    "S3WriterTool",
    "ScrapeElementFromWebsiteTool",
    "ScrapeWebsiteTool",
    "ScrapegraphScrapeTool",
    "ScrapegraphScrapeToolSchema",
    "ScrapflyScrapeWebsiteTool",
    "SeleniumScrapingTool",
    "SerpApiGoogleSearchTool",
    "SerpApiGoogleShoppingTool",
    "SerperDevTool",
    "SerperScrapeWebsiteTool",
    "SerplyJobSearchTool",
    "SerplyNewsSearchTool",
    "SerplyScholarSearchTool",
    "SerplyWebSearchTool",
    "SerplyWebpageToMarkdownTool",
    "SingleStoreSearchTool",
    "SnowflakeConfig",
    "SnowflakeSearchTool",
    "SpiderTool",
    "StagehandTool",
    "TXTSearchTool",
    "TavilyExtractorTool",
    "TavilyGetResearchTool",
    "TavilyResearchTool",
    "TavilySearchTool",
    "URLReadTool",
    "VisionTool",
    "WaitTool",
    "WeaviateVectorSearchTool",
    "WebsiteSearchTool",
    "XMLSearchTool",
    "YoutubeChannelSearchTool",
    "YoutubeVideoSearchTool",
    "ZapierActionTool",
    "ZapierActionTools",
]

__version__ = "1.15.17"
