package dev.bulwark.service.language;

import dev.bulwark.account.AccountKind;
import dev.bulwark.pipeline.RequestContext;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.service.ServiceResponse;

import java.util.Set;

/** {@code POST /language/:analyze-text} on TextAnalytics and AIServices accounts. */
public final class AnalyzeTextRoute implements DataPlaneRoute {
    private final LanguageService service;

    public AnalyzeTextRoute(LanguageService service) {
        this.service = service;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/language/:analyze-text";
    }

    @Override
    public Set<AccountKind> kinds() {
        return Set.of(AccountKind.TextAnalytics, AccountKind.AIServices);
    }

    @Override
    public String operationName() {
        return "Language.AnalyzeText";
    }

    @Override
    public ServiceResponse handle(RequestContext context, byte[] body) {
        return service.analyzeText(context.head().query("api-version"), body);
    }
}
